import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMomentum, type MomentumForm } from '../../../src/runtime/optimizers/momentum.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta (+ 0.5 theta with weight decay 0.5), theta0 = 1, lr = 0.1, beta = 0.9.
const cases: { form: MomentumForm; weight_decay: number; thetas: number[]; velocity: number }[] = [
  // average: v = 0.9 v + 0.1 g; theta -= 0.1 v
  //   g=2      v=0.2                          theta = 1 - 0.02 = 0.98
  //   g=1.96   v=0.18 + 0.196 = 0.376         theta = 0.98 - 0.0376 = 0.9424
  //   g=1.8848 v=0.3384 + 0.18848 = 0.52688   theta = 0.9424 - 0.052688 = 0.889712
  { form: 'average', weight_decay: 0, thetas: [0.98, 0.9424, 0.889712], velocity: 0.52688 },
  //   g=2.5       v=0.25                            theta = 1 - 0.025 = 0.975
  //   g=2.4375    v=0.225 + 0.24375 = 0.46875       theta = 0.975 - 0.046875 = 0.928125
  //   g=2.3203125 v=0.421875 + 0.23203125 = 0.65390625  theta = 0.928125 - 0.065390625 = 0.862734375
  { form: 'average', weight_decay: 0.5, thetas: [0.975, 0.928125, 0.862734375], velocity: 0.65390625 },
  // classical: v = 0.9 v + g; theta -= 0.1 v
  //   g=2    v=2                 theta = 0.8
  //   g=1.6  v=1.8 + 1.6 = 3.4   theta = 0.8 - 0.34 = 0.46
  //   g=0.92 v=3.06 + 0.92 = 3.98  theta = 0.46 - 0.398 = 0.062
  { form: 'classical', weight_decay: 0, thetas: [0.8, 0.46, 0.062], velocity: 3.98 },
  //   g=2.5     v=2.5                        theta = 0.75
  //   g=1.875   v=2.25 + 1.875 = 4.125       theta = 0.75 - 0.4125 = 0.3375
  //   g=0.84375 v=3.7125 + 0.84375 = 4.55625 theta = 0.3375 - 0.455625 = -0.118125
  { form: 'classical', weight_decay: 0.5, thetas: [0.75, 0.3375, -0.118125], velocity: 4.55625 },
  // nesterov: v = 0.9 v + g; theta -= 0.1 (g + 0.9 v)
  //   g=2      v=2                       step 2 + 1.8 = 3.8            theta = 1 - 0.38 = 0.62
  //   g=1.24   v=1.8 + 1.24 = 3.04       step 1.24 + 2.736 = 3.976     theta = 0.62 - 0.3976 = 0.2224
  //   g=0.4448 v=2.736 + 0.4448 = 3.1808 step 0.4448 + 2.86272 = 3.30752  theta = 0.2224 - 0.330752 = -0.108352
  { form: 'nesterov', weight_decay: 0, thetas: [0.62, 0.2224, -0.108352], velocity: 3.1808 },
  //   g=2.5       v=2.5                        step 2.5 + 2.25 = 4.75              theta = 1 - 0.475 = 0.525
  //   g=1.3125    v=2.25 + 1.3125 = 3.5625     step 1.3125 + 3.20625 = 4.51875     theta = 0.525 - 0.451875 = 0.073125
  //   g=0.1828125 v=3.20625 + 0.1828125 = 3.3890625
  //               step 0.1828125 + 3.05015625 = 3.23296875                        theta = 0.073125 - 0.323296875 = -0.250171875
  { form: 'nesterov', weight_decay: 0.5, thetas: [0.525, 0.073125, -0.250171875], velocity: 3.3890625 },
];

describe('createMomentum', () => {
  it.each(cases)('$form form, weight_decay $weight_decay', ({ form, weight_decay, thetas, velocity }) => {
    const run = stepsOnSquare(createMomentum({ beta: 0.9, form, weight_decay }), 0.1);
    expectAllClose(run.thetas, thetas);
    expectAllClose(run.slots.flat(), [velocity]);
    expect(run.iterations).toBe(3);
  });

  it('defaults to the average form with beta 0.9', () => {
    const run = stepsOnSquare(createMomentum(), 0.1);
    expectAllClose(run.thetas, [0.98, 0.9424, 0.889712]);
  });

  it('rejects an unknown form', () => {
    expect(() => createMomentum({ form: 'heavy' as MomentumForm })).toThrow(/unknown form 'heavy'/);
  });

  it.each(['average', 'classical', 'nesterov'] as const)('%s: round-trips its state and does not leak', (form) => {
    expectStateRoundTrip(() => createMomentum({ form, weight_decay: 0.01 }));
    expectNoLeaks(() => createMomentum({ form }));
  });
});
