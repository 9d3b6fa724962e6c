import { describe, it } from 'vitest';
import { cosineDecay } from '../../../src/runtime/schedules/cosine.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('cosineDecay', () => {
  it('follows half a cosine from base to min, then stays at min', () => {
    // base 0.1, min 0.01, steps 4:
    //   t=0 -> 0.1; t=1 -> 0.01 + 0.09 * (1 + cos(pi/4))/2 = 0.01 + 0.09 * 0.8535533906 = 0.0868198052
    //   t=2 -> 0.01 + 0.09 * 0.5 = 0.055; t=4 -> 0.01; t=9 -> 0.01
    const schedule = cosineDecay({ steps: 4, min: 0.01, unit: 'step' });
    expectRates(atSteps(schedule, 0.1, [0, 1, 2, 4, 9]), [0.1, 0.0868198052, 0.055, 0.01, 0.01]);
  });

  it('defaults min to 0 and counts epochs when asked', () => {
    // steps 3, epoch 1: (1 + cos(pi/3))/2 = 0.75 -> 0.2 * 0.75 = 0.15
    expectRates(atEpochs(cosineDecay({ steps: 3, unit: 'epoch' }), 0.2, [1, 3]), [0.15, 0]);
  });
});
