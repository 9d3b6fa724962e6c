/** Stochastic gradient descent: theta <- theta - lr * g per mini-batch (docs/semantics.md, "gd and sgd"). */
import type { Optimizer } from '../contracts.js';
import { plainDescentRule } from './gd.js';
import { createHandOptimizer } from './hand-optimizer.js';

export interface SgdConfig {
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

export function createSgd(config: SgdConfig = {}): Optimizer {
  return createHandOptimizer('sgd', plainDescentRule, { couplesWeightDecay: config.weight_decay ?? 0 });
}
