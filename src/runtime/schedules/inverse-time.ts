/** Inverse time decay: lr = base / (1 + rate * t / every), with floor(t / every) when staircase. */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, schedulePositive, type ScheduleCounterUnit } from './counter.js';

export interface InverseTimeDecayConfig {
  rate: number;
  every: number;
  /** Default false. */
  staircase?: boolean;
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
}

export function inverseTimeDecay(config: InverseTimeDecayConfig): Schedule {
  const every = schedulePositive('inverse_time', 'every', config.every);
  const staircase = config.staircase ?? false;
  const unit = config.unit ?? 'step';
  return {
    unit,
    learningRate(base, at) {
      const ratio = scheduleCounter(unit, at) / every;
      return base / (1 + config.rate * (staircase ? Math.floor(ratio) : ratio));
    },
  };
}
