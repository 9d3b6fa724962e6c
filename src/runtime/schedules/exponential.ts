/** Exponential decay: lr = base * rate^(t / every), with floor(t / every) when staircase. */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, schedulePositive, type ScheduleCounterUnit } from './counter.js';

export interface ExponentialDecayConfig {
  rate: number;
  every: number;
  /** Default false. */
  staircase?: boolean;
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
}

export function exponentialDecay(config: ExponentialDecayConfig): Schedule {
  const every = schedulePositive('exponential', 'every', config.every);
  const staircase = config.staircase ?? false;
  const unit = config.unit ?? 'step';
  return {
    unit,
    learningRate(base, at) {
      const ratio = scheduleCounter(unit, at) / every;
      return base * Math.pow(config.rate, staircase ? Math.floor(ratio) : ratio);
    },
  };
}
