/** Cosine decay: lr = min + (base - min) * (1 + cos(pi * min(t, steps) / steps)) / 2. */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, schedulePositive, type ScheduleCounterUnit } from './counter.js';

export interface CosineDecayConfig {
  steps: number;
  /** The final learning rate (absolute, not a fraction of base). Default 0. */
  min?: number;
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
}

export function cosineDecay(config: CosineDecayConfig): Schedule {
  const steps = schedulePositive('cosine', 'steps', config.steps);
  const min = config.min ?? 0;
  const unit = config.unit ?? 'step';
  return {
    unit,
    learningRate(base, at) {
      const t = Math.min(scheduleCounter(unit, at), steps);
      return min + ((base - min) * (1 + Math.cos((Math.PI * t) / steps))) / 2;
    },
  };
}
