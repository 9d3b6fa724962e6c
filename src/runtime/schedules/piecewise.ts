/**
 * Piecewise constant: lr = values[i] for boundaries[i-1] <= t < boundaries[i] (values[0] before the
 * first boundary, the last value from the last boundary on). The values are absolute learning
 * rates: the optimizer's lr is ignored.
 */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, type ScheduleCounterUnit } from './counter.js';

export interface PiecewiseConstantConfig {
  /** Increasing. */
  boundaries: number[];
  /** One more entry than boundaries. */
  values: number[];
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
}

export function piecewiseConstant(config: PiecewiseConstantConfig): Schedule {
  const boundaries = [...config.boundaries];
  const values = [...config.values];
  if (values.length !== boundaries.length + 1) {
    throw new Error(
      `piecewise: values needs one more entry than boundaries (got ${values.length} values, ${boundaries.length} boundaries)`,
    );
  }
  const unit = config.unit ?? 'step';
  return {
    unit,
    learningRate(_base, at) {
      const t = scheduleCounter(unit, at);
      return values[boundaries.filter((boundary) => boundary <= t).length]!;
    },
  };
}
