import { describe, expect, it } from 'vitest';
import { exponentialDecay } from '../../../src/runtime/schedules/exponential.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('exponentialDecay', () => {
  it('decays continuously: base * rate^(t/every)', () => {
    // base 0.1, rate 0.5, every 2: t=0 0.1; t=1 0.1*sqrt(0.5) = 0.0707106781; t=2 0.05; t=3 0.1*0.5^1.5 = 0.0353553391
    const schedule = exponentialDecay({ rate: 0.5, every: 2, staircase: false, unit: 'step' });
    expectRates(atSteps(schedule, 0.1, [0, 1, 2, 3]), [0.1, 0.0707106781, 0.05, 0.0353553391]);
  });

  it('decays in stairs: base * rate^floor(t/every)', () => {
    // t=1 -> floor 0 -> 0.1; t=3 -> floor 1 -> 0.05; t=4 -> 0.025
    const schedule = exponentialDecay({ rate: 0.5, every: 2, staircase: true, unit: 'step' });
    expectRates(atSteps(schedule, 0.1, [0, 1, 2, 3, 4]), [0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it('counts epochs when the unit is epoch', () => {
    // The iris example: rate 0.5 every 50 epochs from lr 0.1: epoch 50 -> 0.05, epoch 100 -> 0.025.
    const schedule = exponentialDecay({ rate: 0.5, every: 50, unit: 'epoch' });
    expect(schedule.unit).toBe('epoch');
    expectRates(atEpochs(schedule, 0.1, [0, 50, 100]), [0.1, 0.05, 0.025]);
  });

  it('defaults to no staircase, counting steps', () => {
    // 0.2 * 0.9^3 = 0.1458
    expectRates(atSteps(exponentialDecay({ rate: 0.9, every: 1 }), 0.2, [3]), [0.1458]);
  });

  it('rejects a non-positive every', () => {
    expect(() => exponentialDecay({ rate: 0.5, every: 0 })).toThrow(/every must be a positive number/);
  });
});
