/**
 * Adam, textbook form with epsilon outside the square root as in PyTorch (docs/semantics.md, "adam"):
 *   m <- b1*m + (1-b1)*g;  v <- b2*v + (1-b2)*g^2
 *   theta <- theta - lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * Keras and tf.train.adam put an "epsilon hat" on the unscaled v instead, which differs slightly.
 */
import type { Optimizer } from '../contracts.js';
import { createHandOptimizer, handOptimizerZeros, type HandOptimizerRule } from './hand-optimizer.js';

export interface AdamConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

/** The Adam rule with slots [m, v]; AdamW reuses it after its decoupled decay. */
export function adamUpdateRule(beta1: number, beta2: number, epsilon: number): HandOptimizerRule {
  return {
    slotInitialValues: [handOptimizerZeros, handOptimizerZeros],
    step: (math, theta, gradient, [firstMoment, secondMoment], lr, t) => {
      const { add, sub, mul, div, sqrt, square, constant } = math;
      const m = add(mul(firstMoment!, constant(beta1)), mul(gradient, constant(1 - beta1)));
      const v = add(mul(secondMoment!, constant(beta2)), mul(square(gradient), constant(1 - beta2)));
      const mHat = div(m, constant(1 - Math.pow(beta1, t)));
      const vHat = div(v, constant(1 - Math.pow(beta2, t)));
      const update = div(mHat, add(sqrt(vHat), constant(epsilon)));
      return { theta: sub(theta, mul(update, constant(lr))), slots: [m, v] };
    },
  };
}

export function createAdam(config: AdamConfig = {}): Optimizer {
  return createHandOptimizer(
    'adam',
    adamUpdateRule(config.beta1 ?? 0.9, config.beta2 ?? 0.999, config.epsilon ?? 1e-7),
    { couplesWeightDecay: config.weight_decay ?? 0 },
  );
}
