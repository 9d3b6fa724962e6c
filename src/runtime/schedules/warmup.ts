/**
 * Linear warmup in front of another schedule (`then`):
 *   t < steps:  lr = then(base, 0) * (t + 1) / steps
 *   t >= steps: lr = then(base, t - steps)
 * Only the counter of the warmup's own unit is shifted by `steps`: an inner schedule counting the
 * other unit sees its counter unshifted (steps and epochs cannot be converted here), so give the
 * inner schedule the warmup's unit. End-of-epoch calls and state are delegated to `then`, so a
 * warmup in front of reduce-on-plateau works.
 */
import type { JsonValue, Schedule, ScheduleContext } from '../contracts.js';
import { constantSchedule } from './constant.js';
import { scheduleCounter, type ScheduleCounterUnit } from './counter.js';

export interface LinearWarmupConfig {
  /** Length of the warmup in the warmup's unit. */
  steps: number;
  /** Default 'step'. */
  unit?: ScheduleCounterUnit;
  /** The schedule after the warmup. Default constantSchedule(). */
  then?: Schedule;
}

export function linearWarmup(config: LinearWarmupConfig): Schedule {
  const steps = config.steps;
  const unit = config.unit ?? 'step';
  const then = config.then ?? constantSchedule();
  const start: ScheduleContext = { step: 0, epoch: 0 };
  const schedule: Schedule = {
    unit,
    learningRate(base, at) {
      const t = scheduleCounter(unit, at);
      if (t < steps) return (then.learningRate(base, start) * (t + 1)) / steps;
      const shifted: ScheduleContext = unit === 'epoch' ? { ...at, epoch: at.epoch - steps } : { ...at, step: at.step - steps };
      return then.learningRate(base, shifted);
    },
  };
  if (then.endEpoch) schedule.endEpoch = (epoch, metrics) => then.endEpoch!(epoch, metrics);
  if (then.getState && then.setState) {
    schedule.getState = (): JsonValue => then.getState!();
    schedule.setState = (state: JsonValue) => then.setState!(state);
  }
  return schedule;
}
