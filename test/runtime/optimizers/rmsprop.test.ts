import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { createRmsprop } from '../../../src/runtime/optimizers/rmsprop.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta, theta0 = 1, lr = 0.1, rho = 0.9, epsilon = 0.1.
describe('createRmsprop', () => {
  it('divides by the root of the running mean square', () => {
    // t=1: g=2            s = 0.1*4 = 0.4               g/(sqrt(s)+0.1) = 2/0.73245553 = 2.73054119   theta = 0.726945881
    // t=2: g=1.453891762  s = 0.36 + 0.2113801256 = 0.5713801256  (sqrt 0.75589691)
    //      g/(0.85589691) = 1.69867628    theta = 0.726945881 - 0.169867628 = 0.5570782533
    // t=3: g=1.1141565066 s = 0.514242113 + 0.1241344721 = 0.6383765851 (sqrt 0.79898472)
    //      g/(0.89898472) = 1.23934977    theta = 0.5570782533 - 0.123934977 = 0.4331432764
    const run = stepsOnSquare(createRmsprop({ rho: 0.9, epsilon: 0.1 }), 0.1);
    expectAllClose(run.thetas, [0.726945881, 0.5570782533, 0.4331432764]);
    expectAllClose(run.slots.flat(), [0.6383765851]);
  });

  it('adds coupled weight decay to the gradient', () => {
    // g = 2.5 theta.
    // t=1: g=2.5  s=0.625 (sqrt 0.79056942)  2.5/0.89056942 = 2.80719274  theta = 0.7192807256
    // t=2: g=1.798201814  s=0.5625 + 0.3233529764 = 0.8858529764 (sqrt 0.94119763)
    //      1.798201814/1.04119763 = 1.72705139  theta = 0.5465755864
    // t=3: g=1.366438966  s=0.7972676788 + 0.1867155448 = 0.9839832235 (sqrt 0.99195929)
    //      1.366438966/1.09195929 = 1.25136439  theta = 0.4214391473
    const run = stepsOnSquare(createRmsprop({ rho: 0.9, epsilon: 0.1, weight_decay: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.7192807256, 0.5465755864, 0.4214391473]);
  });

  it('with momentum accumulates the scaled gradient in a buffer', () => {
    // momentum 0.5: b = 0.5 b + g/(sqrt(s)+eps); theta -= 0.1 b
    // t=1: g=2  s=0.4  b = 2.73054119                      theta = 0.726945881
    // t=2: g=1.453891762  s=0.5713801256  b = 1.365270595 + 1.69867628 = 3.06394687   theta = 0.4205511938
    // t=3: g=0.8411023876 s=0.514242113 + 0.0707453226 = 0.5849874357 (sqrt 0.76484471)
    //      b = 1.531973435 + 0.8411023876/0.86484471 = 1.531973435 + 0.97254729 = 2.50452073  theta = 0.1700991206
    const run = stepsOnSquare(createRmsprop({ rho: 0.9, epsilon: 0.1, momentum: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.726945881, 0.4205511938, 0.1700991206]);
    // Slots in order [s, b].
    expectAllClose(run.slots.flat(), [0.5849874357, 2.50452073]);
  });

  it('centered divides by the running standard deviation, sqrt(s - mg^2) + eps', () => {
    // t=1: g=2  s=0.4  mg=0.2  sqrt(0.36)+0.1 = 0.7  theta = 1 - 0.2/0.7 = 0.7142857143
    // t=2: g=1.4285714286  s=0.5640816327  mg=0.3228571429  d=0.7781186459  theta = 0.5306927062
    // t=3: g=1.0613854124  s=0.6203273688  mg=0.3967099698  d=0.7804032397  theta = 0.3946879642
    const run = stepsOnSquare(createRmsprop({ rho: 0.9, epsilon: 0.1, centered: true }), 0.1);
    expectAllClose(run.thetas, [0.7142857143, 0.5306927062, 0.3946879642]);
    // Slots in order [s, mg].
    expectAllClose(run.slots.flat(), [0.6203273688, 0.3967099698]);
  });

  it('centered with momentum keeps the slots s, mg, b', () => {
    // b = 0.5 b + g/d: t=1 b = 2.857142857, theta 0.7142857143; t=2 theta 0.3878355633; t=3 theta 0.1222124614
    const run = stepsOnSquare(createRmsprop({ rho: 0.9, epsilon: 0.1, momentum: 0.5, centered: true }), 0.1);
    expectAllClose(run.thetas, [0.7142857143, 0.3878355633, 0.1222124614]);
    expectAllClose(run.slots.flat(), [0.5678400391, 0.3681385412, 2.656231019]);
  });

  it('round-trips its state and does not leak, with and without momentum', () => {
    expectStateRoundTrip(() => createRmsprop());
    expectStateRoundTrip(() => createRmsprop({ momentum: 0.9, weight_decay: 0.01 }));
    expectNoLeaks(() => createRmsprop());
    expectNoLeaks(() => createRmsprop({ momentum: 0.9 }));
    expectStateRoundTrip(() => createRmsprop({ momentum: 0.9, centered: true }));
    expectNoLeaks(() => createRmsprop({ centered: true }));
  });
});
