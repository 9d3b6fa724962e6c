/**
 * RMSprop (docs/semantics.md, "rmsprop"):
 *   s <- rho*s + (1-rho)*g^2
 *   momentum > 0: b <- momentum*b + g/(sqrt(s)+eps); theta <- theta - lr*b
 *   otherwise:    theta <- theta - lr*g/(sqrt(s)+eps)
 */
import type { Optimizer } from '../contracts.js';
import { createHandOptimizer, handOptimizerZeros } from './hand-optimizer.js';

export interface RmspropConfig {
  /** Default 0.9. */
  rho?: number;
  /** Default 1e-7. */
  epsilon?: number;
  /** Default 0 (no momentum buffer). */
  momentum?: number;
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

export function createRmsprop(config: RmspropConfig = {}): Optimizer {
  const rho = config.rho ?? 0.9;
  const epsilon = config.epsilon ?? 1e-7;
  const momentum = config.momentum ?? 0;
  const hasMomentum = momentum > 0;
  return createHandOptimizer(
    'rmsprop',
    {
      // Slots: [s] without momentum, [s, b] with it.
      slotInitialValues: hasMomentum ? [handOptimizerZeros, handOptimizerZeros] : [handOptimizerZeros],
      step: (math, theta, gradient, [meanSquare, buffer], lr) => {
        const { add, sub, mul, div, sqrt, square, constant } = math;
        const s = add(mul(meanSquare!, constant(rho)), mul(square(gradient), constant(1 - rho)));
        const scaled = div(gradient, add(sqrt(s), constant(epsilon)));
        if (!hasMomentum) return { theta: sub(theta, mul(scaled, constant(lr))), slots: [s] };
        const b = add(mul(buffer!, constant(momentum)), scaled);
        return { theta: sub(theta, mul(b, constant(lr))), slots: [s, b] };
      },
    },
    { couplesWeightDecay: config.weight_decay ?? 0 },
  );
}
