/** Adagrad (docs/semantics.md, "adagrad"): s <- s + g^2; theta <- theta - lr*g/(sqrt(s)+eps), s starts at initial_accumulator. */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../contracts.js';
import { createHandOptimizer } from './hand-optimizer.js';

export interface AdagradConfig {
  /** Default 1e-7. */
  epsilon?: number;
  /** Starting value of every entry of s. Default 0.1. */
  initial_accumulator?: number;
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

export function createAdagrad(config: AdagradConfig = {}): Optimizer {
  const epsilon = config.epsilon ?? 1e-7;
  const initialAccumulator = config.initial_accumulator ?? 0.1;
  return createHandOptimizer(
    'adagrad',
    {
      slotInitialValues: [(variable) => tf.fill(variable.shape, initialAccumulator)],
      step: (math, theta, gradient, [accumulator], lr) => {
        const { add, sub, mul, div, sqrt, square, constant } = math;
        const s = add(accumulator!, square(gradient));
        const update = div(gradient, add(sqrt(s), constant(epsilon)));
        return { theta: sub(theta, mul(update, constant(lr))), slots: [s] };
      },
    },
    { couplesWeightDecay: config.weight_decay ?? 0 },
  );
}
