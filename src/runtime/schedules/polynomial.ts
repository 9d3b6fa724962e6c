/** Polynomial decay: lr = (base - end) * (1 - min(t, steps) / steps)^power + end. */
import type { Schedule } from '../contracts.js';
import { scheduleCounter, schedulePositive, type ScheduleCounterUnit } from './counter.js';

export interface PolynomialDecayConfig {
  steps: number;
  /** The final learning rate (absolute). Default 0.0001. */
  end?: number;
  /** Default 1 (linear). */
  power?: number;
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
}

export function polynomialDecay(config: PolynomialDecayConfig): Schedule {
  const steps = schedulePositive('polynomial', 'steps', config.steps);
  const end = config.end ?? 0.0001;
  const power = config.power ?? 1;
  const unit = config.unit ?? 'step';
  return {
    unit,
    learningRate(base, at) {
      const t = Math.min(scheduleCounter(unit, at), steps);
      return (base - end) * Math.pow(1 - t / steps, power) + end;
    },
  };
}
