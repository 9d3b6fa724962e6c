import { describe, expect, it } from 'vitest';
import { piecewiseConstant } from '../../../src/runtime/schedules/piecewise.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('piecewiseConstant', () => {
  it('gives values[i] for boundaries[i-1] <= t < boundaries[i], ignoring the base rate', () => {
    // boundaries [10, 20], values [1, 0.5, 0.1]: t<10 -> 1; 10<=t<20 -> 0.5; t>=20 -> 0.1
    const schedule = piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1], unit: 'step' });
    expectRates(atSteps(schedule, 123, [0, 9, 10, 19, 20, 1000]), [1, 1, 0.5, 0.5, 0.1, 0.1]);
  });

  it('counts epochs when asked', () => {
    const schedule = piecewiseConstant({ boundaries: [2], values: [0.3, 0.03], unit: 'epoch' });
    expectRates(atEpochs(schedule, 1, [1, 2]), [0.3, 0.03]);
  });

  it('needs one more value than boundaries', () => {
    expect(() => piecewiseConstant({ boundaries: [1, 2], values: [1, 2] })).toThrow(
      /one more entry than boundaries \(got 2 values, 2 boundaries\)/,
    );
  });
});
