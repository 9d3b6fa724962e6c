/** Multi-step decay: lr = base * factor^(number of milestones <= t). */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, type ScheduleCounterUnit } from './counter.js';

export interface MultistepDecayConfig {
  milestones: number[];
  /** Default 0.1. */
  factor?: number;
  /** Default 'epoch' (PyTorch's MultiStepLR counts epochs). */
  unit?: ScheduleCounterUnit;
}

export function multistepDecay(config: MultistepDecayConfig): Schedule {
  const milestones = [...config.milestones];
  const factor = config.factor ?? 0.1;
  const unit = config.unit ?? 'epoch';
  return {
    unit,
    learningRate(base, at) {
      const t = scheduleCounter(unit, at);
      return base * Math.pow(factor, milestones.filter((milestone) => milestone <= t).length);
    },
  };
}
