import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, it } from 'vitest';
import { createAdagrad } from '../../../src/runtime/optimizers/adagrad.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta, theta0 = 1, lr = 0.1, epsilon = 0.1, s starts at 0.1.
describe('createAdagrad', () => {
  it('divides by the root of the sum of squared gradients', () => {
    // t=1: g=2  s = 0.1 + 4 = 4.1 (sqrt 2.02484567)  theta = 1 - 0.1*2/2.12484567 = 0.9058755172
    // t=2: g=1.8117510344  s = 4.1 + 3.2824418107 = 7.3824418107 (sqrt 2.71706493)
    //      theta = 0.9058755172 - 0.1*1.8117510344/2.81706493 = 0.8415620888
    // t=3: g=1.6831241776  s = 7.3824418107 + 2.8329069972 = 10.2153488079 (sqrt 3.19614593)
    //      theta = 0.8415620888 - 0.1*1.6831241776/3.29614593 = 0.7904986889
    const run = stepsOnSquare(createAdagrad({ epsilon: 0.1, initial_accumulator: 0.1 }), 0.1);
    expectAllClose(run.thetas, [0.9058755172, 0.8415620888, 0.7904986889]);
    expectAllClose(run.slots.flat(), [10.2153488079], 4);
  });

  it('adds coupled weight decay to the gradient', () => {
    // g = 2.5 theta.
    // t=1: g=2.5  s = 6.35 (sqrt 2.51992063)  theta = 1 - 0.25/2.61992063 = 0.9045772621
    // t=2: g=2.2614431552  s = 11.4641251442 (sqrt 3.3858714)  theta = 0.9045772621 - 0.22614431552/3.4858714 = 0.8397027187
    // t=3: g=2.0992567967  s = 15.8710042426 (sqrt 3.9838429)  theta = 0.8397027187 - 0.20992567967/4.0838429 = 0.7882987629
    const run = stepsOnSquare(createAdagrad({ epsilon: 0.1, initial_accumulator: 0.1, weight_decay: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.9045772621, 0.8397027187, 0.7882987629]);
  });

  it('starts the accumulator at initial_accumulator', () => {
    // s = 5 + 4 = 9, theta = 1 - 0.1*2/(3 + 0.1) = 0.935483871
    const run = stepsOnSquare(createAdagrad({ epsilon: 0.1, initial_accumulator: 5 }), 0.1, 1);
    expectAllClose(run.thetas, [0.935483871]);
    expectAllClose(run.slots.flat(), [9]);
  });

  it('round-trips its state and does not leak', () => {
    expectStateRoundTrip(() => createAdagrad({ weight_decay: 0.01 }));
    expectNoLeaks(() => createAdagrad());
  });
});
