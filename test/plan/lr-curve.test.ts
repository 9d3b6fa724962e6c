import { describe, expect, it } from 'vitest';
import { learningRateCurve } from '../../src/plan/lr-curve.js';
import { constantSchedule } from '../../src/runtime/schedules/constant.js';
import { exponentialDecay } from '../../src/runtime/schedules/exponential.js';
import { reduceOnPlateau } from '../../src/runtime/schedules/plateau.js';
import { stepDecay } from '../../src/runtime/schedules/step.js';
import { linearWarmup } from '../../src/runtime/schedules/warmup.js';

describe('learningRateCurve', () => {
  it('has one point per step, with the epoch each step belongs to', () => {
    const curve = learningRateCurve(constantSchedule(), 0.1, 3, 2);
    expect(curve.points).toEqual([
      { step: 0, epoch: 0, lr: 0.1 },
      { step: 1, epoch: 0, lr: 0.1 },
      { step: 2, epoch: 0, lr: 0.1 },
      { step: 3, epoch: 1, lr: 0.1 },
      { step: 4, epoch: 1, lr: 0.1 },
      { step: 5, epoch: 1, lr: 0.1 },
    ]);
    expect(curve.dependsOnMetrics).toBe(false);
  });

  it('counts epochs for an epoch-unit schedule and steps for a step-unit one', () => {
    // lr = 0.1 * 0.5^(epoch / 2): constant within an epoch.
    const byEpoch = learningRateCurve(exponentialDecay({ rate: 0.5, every: 2, unit: 'epoch' }), 0.1, 4, 3);
    expect(byEpoch.points.map((p) => p.lr)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2].map((e) => 0.1 * 0.5 ** (e / 2)));
    // lr = 1 * 0.5^floor(step / 5)
    const byStep = learningRateCurve(stepDecay({ factor: 0.5, every: 5, unit: 'step' }), 1, 4, 3);
    expect(byStep.points.map((p) => p.lr)).toEqual(Array.from({ length: 12 }, (_, s) => 0.5 ** Math.floor(s / 5)));
  });

  it('shows the warm-up ramp', () => {
    // lr = 0.2 * (t + 1) / 4 for t < 4, then 0.2.
    const curve = learningRateCurve(linearWarmup({ steps: 4 }), 0.2, 3, 2);
    expect(curve.points.map((p) => p.lr)).toEqual([0.05, 0.1, 0.15, 0.2, 0.2, 0.2].map((v, i) => (i < 4 ? (0.2 * (i + 1)) / 4 : 0.2)));
  });

  it('marks reduce-on-plateau (alone or behind a warm-up) as depending on metrics, at the base rate until a reduction', () => {
    const plateau = learningRateCurve(reduceOnPlateau({ patience: 1 }), 0.01, 2, 3);
    expect(plateau.dependsOnMetrics).toBe(true);
    expect(plateau.points.every((p) => p.lr === 0.01)).toBe(true);
    expect(learningRateCurve(linearWarmup({ steps: 2, then: reduceOnPlateau() }), 0.01, 2, 2).dependsOnMetrics).toBe(true);
  });

  it('is empty without steps', () => {
    expect(learningRateCurve(constantSchedule(), 0.1, 0, 5).points).toEqual([]);
  });
});
