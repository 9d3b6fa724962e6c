import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdamW } from '../../../src/runtime/optimizers/adamw.js';
import { expectAllClose, expectNoLeaks, expectStateRoundTrip, stepsOnSquare } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// f(theta) = theta^2, g = 2 theta (at the weights before the step), theta0 = 1, lr = 0.1,
// beta1 = 0.9, beta2 = 0.999, epsilon = 0.1, weight_decay = 0.5: first theta <- theta - 0.1*0.5*theta, then Adam.
describe('createAdamW', () => {
  it('decays the weights with the same lr before the Adam step', () => {
    // t=1: g=2  decayed 1*0.95 = 0.95  m=0.2 v=0.004 mhat=2 vhat=4  theta = 0.95 - 0.1*2/2.1 = 0.8547619048
    // t=2: g=1.7095238095  decayed 0.8120238095  m=0.350952381  v=0.0069184717
    //      mhat=1.84711779  vhat=3.46096631 (sqrt 1.86036726)  theta = 0.8120238095 - 0.1*1.84711779/1.96036726 = 0.7178007606
    // t=3: g=1.4356015212  decayed 0.6819107226  m=0.459417295  v=0.0089725049
    //      mhat=1.69526677  vhat=2.9938278 (sqrt 1.73026813)  theta = 0.6819107226 - 0.1*1.69526677/1.83026813 = 0.5892867653
    const run = stepsOnSquare(createAdamW({ beta1: 0.9, beta2: 0.999, epsilon: 0.1, weight_decay: 0.5 }), 0.1);
    expectAllClose(run.thetas, [0.8547619048, 0.7178007606, 0.5892867653]);
    expectAllClose(run.slots.flat(), [0.459417295, 0.0089725049]);
  });

  it('without decay equals Adam', () => {
    const run = stepsOnSquare(createAdamW({ epsilon: 0.1, weight_decay: 0 }), 0.1);
    expectAllClose(run.thetas, [0.9047619048, 0.8101101558, 0.7163621929]);
  });

  it('round-trips its state and does not leak', () => {
    expectStateRoundTrip(() => createAdamW());
    expectNoLeaks(() => createAdamW());
    expect(createAdamW().name).toBe('adamw');
  });
});
