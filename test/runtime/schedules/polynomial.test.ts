import { describe, it } from 'vitest';
import { polynomialDecay } from '../../../src/runtime/schedules/polynomial.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('polynomialDecay', () => {
  it('goes from base to end as (base - end) * (1 - t/steps)^power + end, then stays at end', () => {
    // base 0.1, end 0.01, power 2, steps 10: t=5 -> 0.09 * 0.25 + 0.01 = 0.0325; t=10, 20 -> 0.01
    const schedule = polynomialDecay({ steps: 10, end: 0.01, power: 2, unit: 'step' });
    expectRates(atSteps(schedule, 0.1, [0, 5, 10, 20]), [0.1, 0.0325, 0.01, 0.01]);
  });

  it('is linear by default and counts epochs when asked', () => {
    // power 1, end 0.0001: epoch 1 of 4 -> (0.1 - 0.0001) * 0.75 + 0.0001 = 0.075025
    const schedule = polynomialDecay({ steps: 4, unit: 'epoch' });
    expectRates(atEpochs(schedule, 0.1, [1]), [0.075025]);
  });
});
