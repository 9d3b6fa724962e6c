import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSgd } from '../../../src/runtime/optimizers/sgd.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta, theta0 = 1, lr = 0.1.
describe('createSgd', () => {
  it('steps theta <- theta - lr*g', () => {
    // g=2 -> theta = 1 - 0.2 = 0.8; g=1.6 -> 0.8 - 0.16 = 0.64; g=1.28 -> 0.64 - 0.128 = 0.512
    const run = stepsOnSquare(createSgd(), 0.1);
    expectAllClose(run.thetas, [0.8, 0.64, 0.512]);
    expect(run.slots).toEqual([]);
    expect(run.iterations).toBe(3);
  });

  it('adds coupled weight decay to the gradient', () => {
    // g = 2 theta + 0.5 theta = 2.5 theta: 1 - 0.25 = 0.75; 0.75 - 0.1875 = 0.5625; 0.5625 - 0.140625 = 0.421875
    const run = stepsOnSquare(createSgd({ weight_decay: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.75, 0.5625, 0.421875]);
  });

  it('round-trips its state and does not leak', () => {
    expectStateRoundTrip(() => createSgd({ weight_decay: 0.1 }));
    expectNoLeaks(() => createSgd());
  });
});
