/**
 * Momentum in three forms (docs/semantics.md, "momentum"):
 *   average:   v <- beta*v + (1-beta)*g;  theta <- theta - lr*v
 *   classical: v <- beta*v + g;           theta <- theta - lr*v
 *   nesterov:  v <- beta*v + g;           theta <- theta - lr*(g + beta*v)   (PyTorch's formulation)
 */
import type { Optimizer } from '../contracts.js';
import { createHandOptimizer, handOptimizerZeros } from './hand-optimizer.js';

export type MomentumForm = 'average' | 'classical' | 'nesterov';

export interface MomentumConfig {
  /** Default 0.9. */
  beta?: number;
  /** Default 'average'. */
  form?: MomentumForm;
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

export function createMomentum(config: MomentumConfig = {}): Optimizer {
  const beta = config.beta ?? 0.9;
  const form = config.form ?? 'average';
  if (form !== 'average' && form !== 'classical' && form !== 'nesterov') {
    throw new Error(`momentum: unknown form '${String(form)}' (expected average, classical or nesterov)`);
  }
  // In the average form the new gradient enters with weight (1 - beta), otherwise with weight 1.
  const gradientWeight = form === 'average' ? 1 - beta : 1;
  return createHandOptimizer(
    'momentum',
    {
      slotInitialValues: [handOptimizerZeros],
      step: (math, theta, gradient, [velocity], lr) => {
        const { add, sub, mul, constant } = math;
        const v = add(mul(velocity!, constant(beta)), mul(gradient, constant(gradientWeight)));
        const direction = form === 'nesterov' ? add(gradient, mul(v, constant(beta))) : v;
        return { theta: sub(theta, mul(direction, constant(lr))), slots: [v] };
      },
    },
    { couplesWeightDecay: config.weight_decay ?? 0 },
  );
}
