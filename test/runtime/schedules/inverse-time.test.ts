import { describe, it } from 'vitest';
import { inverseTimeDecay } from '../../../src/runtime/schedules/inverse-time.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('inverseTimeDecay', () => {
  it('continuous: base / (1 + rate * t / every)', () => {
    // base 1, rate 0.5, every 2: t=1 -> 1/1.25 = 0.8; t=2 -> 1/1.5; t=3 -> 1/1.75
    const schedule = inverseTimeDecay({ rate: 0.5, every: 2, staircase: false, unit: 'step' });
    expectRates(atSteps(schedule, 1, [0, 1, 2, 3]), [1, 0.8, 1 / 1.5, 1 / 1.75]);
  });

  it('staircase: base / (1 + rate * floor(t / every))', () => {
    // t=1 -> floor 0 -> 1; t=3 -> floor 1 -> 1/1.5
    const schedule = inverseTimeDecay({ rate: 0.5, every: 2, staircase: true, unit: 'step' });
    expectRates(atSteps(schedule, 1, [1, 2, 3, 4]), [1, 1 / 1.5, 1 / 1.5, 0.5]);
  });

  it('counts epochs when asked', () => {
    // base 0.3, rate 1, every 1: epoch 2 -> 0.3 / 3 = 0.1
    expectRates(atEpochs(inverseTimeDecay({ rate: 1, every: 1, unit: 'epoch' }), 0.3, [2]), [0.1]);
  });
});
