/** Step decay: lr = base * factor^floor(t / every). */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, schedulePositive, type ScheduleCounterUnit } from './counter.js';

export interface StepDecayConfig {
  every: number;
  /** Default 0.1. */
  factor?: number;
  /** Default 'epoch' (PyTorch's StepLR counts epochs). */
  unit?: ScheduleCounterUnit;
}

export function stepDecay(config: StepDecayConfig): Schedule {
  const every = schedulePositive('step', 'every', config.every);
  const factor = config.factor ?? 0.1;
  const unit = config.unit ?? 'epoch';
  return {
    unit,
    learningRate: (base, at) => base * Math.pow(factor, Math.floor(scheduleCounter(unit, at) / every)),
  };
}
