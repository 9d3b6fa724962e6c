import { describe, it } from 'vitest';
import { multistepDecay } from '../../../src/runtime/schedules/multistep.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('multistepDecay', () => {
  it('multiplies by factor once per milestone reached (milestone <= t)', () => {
    // milestones [2, 5], factor 0.1, base 1: t=1 -> 1; t=2 -> 0.1; t=4 -> 0.1; t=5 -> 0.01; t=100 -> 0.01
    const schedule = multistepDecay({ milestones: [2, 5], factor: 0.1, unit: 'step' });
    expectRates(atSteps(schedule, 1, [1, 2, 4, 5, 100]), [1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('counts epochs by default', () => {
    const schedule = multistepDecay({ milestones: [1], factor: 0.5 });
    expectRates(atEpochs(schedule, 0.2, [0, 1]), [0.2, 0.1]);
  });
});
