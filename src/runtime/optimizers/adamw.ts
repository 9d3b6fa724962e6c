/**
 * AdamW (docs/semantics.md, "adamw"): decoupled weight decay theta <- theta - lr*weight_decay*theta,
 * applied with the same lr before the Adam step, as PyTorch does.
 */
import type { Optimizer } from '../contracts.js';
import { adamUpdateRule } from './adam.js';
import { createHandOptimizer } from './hand-optimizer.js';

export interface AdamWConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Decoupled decay rate. Default 0.004 (Keras). */
  weight_decay?: number;
}

export function createAdamW(config: AdamWConfig = {}): Optimizer {
  const weightDecay = config.weight_decay ?? 0.004;
  const adam = adamUpdateRule(config.beta1 ?? 0.9, config.beta2 ?? 0.999, config.epsilon ?? 1e-7);
  return createHandOptimizer(
    'adamw',
    {
      slotInitialValues: adam.slotInitialValues,
      step: (math, theta, gradient, slots, lr, t) => {
        const decayed = math.sub(theta, math.mul(theta, math.constant(lr * weightDecay)));
        return adam.step(math, decayed, gradient, slots, lr, t);
      },
    },
    { couplesWeightDecay: 0 },
  );
}
