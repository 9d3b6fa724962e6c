import { describe, expect, it } from 'vitest';
import { stepDecay } from '../../../src/runtime/schedules/step.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('stepDecay', () => {
  it('multiplies by factor every `every` counts', () => {
    // base 0.1, factor 0.5, every 3: t=0..2 -> 0.1, t=3..5 -> 0.05, t=6 -> 0.025
    const schedule = stepDecay({ every: 3, factor: 0.5, unit: 'step' });
    expectRates(atSteps(schedule, 0.1, [0, 2, 3, 5, 6]), [0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('defaults to factor 0.1, counting epochs', () => {
    const schedule = stepDecay({ every: 10 });
    expect(schedule.unit).toBe('epoch');
    expectRates(atEpochs(schedule, 1, [9, 10, 20]), [1, 0.1, 0.01]);
  });
});
