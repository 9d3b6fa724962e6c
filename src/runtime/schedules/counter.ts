/** The counter t a schedule reads: optimizer steps or completed epochs (docs/semantics.md, "Schedules"). */
import type { ScheduleContext } from '../contracts.js';

export type ScheduleCounterUnit = 'step' | 'epoch';

export function scheduleCounter(unit: ScheduleCounterUnit, at: ScheduleContext): number {
  return unit === 'epoch' ? at.epoch : at.step;
}

/** Throws unless value is a positive number: the divisors of the schedule formulas. */
export function schedulePositive(owner: string, option: string, value: number): number {
  if (!(value > 0)) throw new Error(`${owner}: ${option} must be a positive number, got ${String(value)}`);
  return value;
}
