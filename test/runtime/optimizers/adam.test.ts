import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../src/runtime/optimizers/adam.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta, theta0 = 1, lr = 0.1, beta1 = 0.9, beta2 = 0.999. epsilon = 0.1 is
// large on purpose: it tells eps outside sqrt(vhat) (2/(2+0.1)) from eps inside (2/sqrt(4.1)) or Keras' eps-hat.
describe('createAdam', () => {
  it('follows the textbook update with bias correction and epsilon outside the square root', () => {
    // t=1: g=2          m = 0.2                          v = 0.001*4 = 0.004
    //      mhat = 0.2/0.1 = 2, vhat = 0.004/0.001 = 4   theta = 1 - 0.1*2/(2+0.1) = 0.9047619048
    // t=2: g=1.8095238095  m = 0.18 + 0.18095238 = 0.360952381   v = 0.003996 + 0.0032743764 = 0.0072703764
    //      mhat = 0.360952381/0.19 = 1.89974937, vhat = 0.0072703764/0.001999 = 3.63700671 (sqrt 1.90709381)
    //      theta = 0.9047619048 - 0.1*1.89974937/2.00709381 = 0.8101101558
    // t=3: g=1.6202203115  m = 0.324857143 + 0.162022031 = 0.486879174  v = 0.0072631060 + 0.0026251139 = 0.0098882199
    //      mhat = 0.486879174/0.271 = 1.79660212, vhat = 0.0098882199/0.002997001 = 3.29937157 (sqrt 1.81641724)
    //      theta = 0.8101101558 - 0.1*1.79660212/1.91641724 = 0.7163621929
    const run = stepsOnSquare(createAdam({ beta1: 0.9, beta2: 0.999, epsilon: 0.1 }), 0.1);
    expectAllClose(run.thetas, [0.9047619048, 0.8101101558, 0.7163621929]);
    // Slots in order [m, v].
    expectAllClose(run.slots.flat(), [0.486879174, 0.0098882199]);
    expect(run.iterations).toBe(3);
  });

  it('adds coupled weight decay to the gradient', () => {
    // g = 2.5 theta.
    // t=1: g=2.5  m=0.25  v=0.00625  mhat=2.5  vhat=6.25  theta = 1 - 0.1*2.5/2.6 = 0.9038461538
    // t=2: g=2.2596153846  m=0.4509615385  v=0.0113496117  mhat=2.37348178  vhat=5.67764467 (sqrt 2.38278506)
    //      theta = 0.9038461538 - 0.1*2.37348178/2.48278506 = 0.8082484387
    // t=3: g=2.0206210968  m=0.6079274943  v=0.0154211717  mhat=2.24327489  vhat=5.14553438 (sqrt 2.26837701)
    //      theta = 0.8082484387 - 0.1*2.24327489/2.36837701 = 0.7135306277
    const run = stepsOnSquare(createAdam({ epsilon: 0.1, weight_decay: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.9038461538, 0.8082484387, 0.7135306277]);
  });

  it('with a tiny epsilon the first step is lr * sign(g)', () => {
    // mhat/sqrt(vhat) = 2/2 = 1 at t=1 whatever the gradient's size.
    const run = stepsOnSquare(createAdam(), 0.01, 1, 3);
    expectAllClose(run.thetas, [3 - 0.01]);
  });

  it('round-trips its state and does not leak', () => {
    expectStateRoundTrip(() => createAdam({ weight_decay: 0.01 }));
    expectNoLeaks(() => createAdam());
  });
});
