/** Helpers for schedule tests: the rate at a step or an epoch counter. */
import { expect } from 'vitest';
import type { Schedule } from '../../../src/runtime/contracts.js';

/** Rates at the given steps, with the epoch counter at a value the schedule must ignore. */
export const atSteps = (schedule: Schedule, base: number, steps: number[]): number[] =>
  steps.map((step) => schedule.learningRate(base, { step, epoch: 999 }));

/** Rates at the given epochs, with the step counter at a value the schedule must ignore. */
export const atEpochs = (schedule: Schedule, base: number, epochs: number[]): number[] =>
  epochs.map((epoch) => schedule.learningRate(base, { step: 9999, epoch }));

export function expectRates(actual: number[], expected: number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(value, `rate ${i}`).toBeCloseTo(expected[i]!, 10));
}
