/**
 * RMSprop (docs/semantics.md, "rmsprop"):
 *   s <- rho*s + (1-rho)*g^2
 *   centered:     mg <- rho*mg + (1-rho)*g;  d = sqrt(s - mg^2) + eps   (otherwise d = sqrt(s) + eps)
 *   momentum > 0: b <- momentum*b + g/d; theta <- theta - lr*b
 *   otherwise:    theta <- theta - lr*g/d
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
  /** Divide by the gradient's running standard deviation, sqrt(s - mg^2), instead of its root mean square. Default false. */
  centered?: boolean;
  /** Coupled L2 decay: g <- g + weight_decay * theta. Default 0. */
  weight_decay?: number;
}

export function createRmsprop(config: RmspropConfig = {}): Optimizer {
  const rho = config.rho ?? 0.9;
  const epsilon = config.epsilon ?? 1e-7;
  const momentum = config.momentum ?? 0;
  const hasMomentum = momentum > 0;
  const centered = config.centered ?? false;
  // Slots: s, then mg when centered, then b when momentum > 0.
  const slotCount = 1 + (centered ? 1 : 0) + (hasMomentum ? 1 : 0);
  return createHandOptimizer(
    'rmsprop',
    {
      slotInitialValues: Array.from({ length: slotCount }, () => handOptimizerZeros),
      step: (math, theta, gradient, slots, lr) => {
        const { add, sub, mul, div, sqrt, square, constant } = math;
        const s = add(mul(slots[0]!, constant(rho)), mul(square(gradient), constant(1 - rho)));
        const next = [s];
        let spread = s;
        if (centered) {
          const mg = add(mul(slots[1]!, constant(rho)), mul(gradient, constant(1 - rho)));
          next.push(mg);
          spread = sub(s, square(mg));
        }
        const scaled = div(gradient, add(sqrt(spread), constant(epsilon)));
        if (!hasMomentum) return { theta: sub(theta, mul(scaled, constant(lr))), slots: next };
        const b = add(mul(slots[slotCount - 1]!, constant(momentum)), scaled);
        next.push(b);
        return { theta: sub(theta, mul(b, constant(lr))), slots: next };
      },
    },
    { couplesWeightDecay: config.weight_decay ?? 0 },
  );
}
