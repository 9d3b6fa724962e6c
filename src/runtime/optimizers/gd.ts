/** Gradient descent: theta <- theta - lr * g (docs/semantics.md, "gd and sgd"). */
import type { Optimizer } from '../contracts.js';
import { createHandOptimizer, type HandOptimizerRule } from './hand-optimizer.js';

export interface GdConfig {
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

/** The plain step shared by gd and sgd (they differ only in how the loop batches the data). */
export const plainDescentRule: HandOptimizerRule = {
  slotInitialValues: [],
  step: (math, theta, gradient, _slots, lr) => ({ theta: math.sub(theta, math.mul(gradient, math.constant(lr))), slots: [] }),
};

export function createGd(config: GdConfig = {}): Optimizer {
  return createHandOptimizer('gd', plainDescentRule, { couplesWeightDecay: config.weight_decay ?? 0 });
}
