import { describe, expect, it } from 'vitest';
import { constantSchedule } from '../../../src/runtime/schedules/constant.js';
import { cosineDecay } from '../../../src/runtime/schedules/cosine.js';
import { piecewiseConstant } from '../../../src/runtime/schedules/piecewise.js';
import { reduceOnPlateau } from '../../../src/runtime/schedules/plateau.js';
import { linearWarmup } from '../../../src/runtime/schedules/warmup.js';
import { atEpochs, atSteps, expectRates } from './schedule-harness.js';

describe('linearWarmup', () => {
  it('ramps up linearly, then runs the inner cosine from its own t = 0', () => {
    // warmup 4 steps to base 0.1: t=0 0.025, t=1 0.05, t=3 0.1
    // then cosine(steps 10, min 0) at t - 4: t=4 -> 0.1; t=9 -> cos at 5 -> 0.05; t=14 -> 0; t=20 -> 0
    const schedule = linearWarmup({ steps: 4, unit: 'step', then: cosineDecay({ steps: 10, min: 0, unit: 'step' }) });
    expectRates(atSteps(schedule, 0.1, [0, 1, 3, 4, 9, 14, 20]), [0.025, 0.05, 0.1, 0.1, 0.05, 0, 0]);
  });

  it('ramps towards the inner schedule’s first rate (piecewise ignores base)', () => {
    // inner rate at 0 is values[0] = 0.4: t=0 -> 0.4 * 1/2 = 0.2; t=1 -> 0.4; t=2 -> inner t=0 -> 0.4; t=5 -> inner t=3 -> 0.04
    const schedule = linearWarmup({
      steps: 2,
      unit: 'step',
      then: piecewiseConstant({ boundaries: [3], values: [0.4, 0.04], unit: 'step' }),
    });
    expectRates(atSteps(schedule, 1, [0, 1, 2, 4, 5]), [0.2, 0.4, 0.4, 0.4, 0.04]);
  });

  it('defaults to a constant rate after warmup', () => {
    // The transformer example: warmup(steps: 100, then: constant): step 49 -> 0.003 * 50/100
    const schedule = linearWarmup({ steps: 100 });
    expectRates(atSteps(schedule, 0.003, [0, 49, 99, 100, 5000]), [0.00003, 0.0015, 0.003, 0.003, 0.003]);
  });

  it('counts epochs when asked', () => {
    // warmup 2 epochs: epoch 0 -> 0.5 base, epoch 1 -> base; the step counter is ignored.
    const schedule = linearWarmup({ steps: 2, unit: 'epoch', then: constantSchedule() });
    expect(schedule.unit).toBe('epoch');
    expectRates(atEpochs(schedule, 0.2, [0, 1, 2]), [0.1, 0.2, 0.2]);
  });

  it('shifts only its own unit: an inner schedule in the other unit sees its counter unshifted', () => {
    // warmup 2 epochs in front of cosine over 4 steps: at epoch 2, step 2 the cosine reads step 2 -> 0.5 base.
    const schedule = linearWarmup({ steps: 2, unit: 'epoch', then: cosineDecay({ steps: 4, unit: 'step' }) });
    expect(schedule.learningRate(1, { step: 2, epoch: 2 })).toBeCloseTo(0.5, 10);
  });

  it('delegates end-of-epoch calls and state to reduce-on-plateau', () => {
    const make = () =>
      linearWarmup({ steps: 2, unit: 'step', then: reduceOnPlateau({ monitor: 'val_loss', patience: 1, factor: 0.5, threshold: 0 }) });
    const schedule = make();
    const base = 0.2;
    // t=0: 0.2 * 1/2 = 0.1 (plateau's rate before any epoch is base)
    expectRates(atSteps(schedule, base, [0]), [0.1]);
    schedule.endEpoch!(0, { val_loss: 1 }); // best 1
    schedule.endEpoch!(1, { val_loss: 1 }); // no improvement, patience 1 -> 0.1
    expectRates(atSteps(schedule, base, [0, 1, 2]), [0.05, 0.1, 0.1]);
    const copy = make();
    copy.setState!(JSON.parse(JSON.stringify(schedule.getState!())));
    expectRates(atSteps(copy, base, [0, 2]), [0.05, 0.1]);
  });

  it('has no end-of-epoch hook or state in front of a stateless schedule', () => {
    const schedule = linearWarmup({ steps: 2, then: cosineDecay({ steps: 5 }) });
    expect(schedule.endEpoch).toBeUndefined();
    expect(schedule.getState).toBeUndefined();
  });
});
