/**
 * The learning rate of every step of a run, computed before the run by asking the runtime's own
 * Schedule what the training loop will ask it (train.ts: learningRate(base, { step, epoch }) with
 * the run's step and the epochs completed so far). A schedule with an end-of-epoch hook (reduce
 * on plateau, alone or after a warm-up) changes the rate from validation metrics, which are not
 * known before the run: its curve shows the rate as it stands until the first reduction.
 */
import type { Schedule } from '../runtime/contracts.js';

export interface LearningRatePoint {
  /** 0-based optimizer step. */
  step: number;
  /** 0-based epoch of the step. */
  epoch: number;
  lr: number;
}

export interface LearningRateCurve {
  points: LearningRatePoint[];
  /** The schedule also reacts to metrics after each epoch (reduce on plateau). */
  dependsOnMetrics: boolean;
}

export function learningRateCurve(schedule: Schedule, base: number, stepsPerEpoch: number, epochs: number): LearningRateCurve {
  const points: LearningRatePoint[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let batch = 0; batch < stepsPerEpoch; batch++) {
      const step = epoch * stepsPerEpoch + batch;
      points.push({ step, epoch, lr: schedule.learningRate(base, { step, epoch }) });
    }
  }
  return { points, dependsOnMetrics: schedule.endEpoch !== undefined };
}
