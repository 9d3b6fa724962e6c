/**
 * The machinery shared by every hand-written optimizer: lazily created slot variables kept in a
 * stable order, the iteration count, coupled L2 weight decay, checkpoint state and disposal.
 * Each optimizer file supplies only its update rule, written in UpdateMath (never tf.train.*),
 * so that the formulas are exactly those of docs/semantics.md. Where the backend has the
 * elementwise kernel (wasm, cpu), each variable's update runs as one traced program; elsewhere
 * as tf ops. Both do the same float32 operations in the same order.
 */
import * as tf from '@tensorflow/tfjs';
import type { Optimizer } from '../contracts.js';
import { ELEMENTWISE_KERNEL_NAME } from '../kernels/elementwiseProgram.js';
import { tensorUpdateMath, traceElementwiseUpdate, type UpdateMath } from './update-math.js';

/** The update rule of one optimizer for one variable. */
export interface HandOptimizerRule {
  /** Initial value of each slot of a variable, in slot order (e.g. Adam: m, v). */
  readonly slotInitialValues: readonly ((variable: tf.Variable) => tf.Tensor)[];
  /**
   * The new value of the variable and of its slots, elementwise. `t` is the 1-based number of
   * this update (Adam's t). The gradient already includes coupled weight decay. The structure of
   * the computation must not depend on lr or t (they may only enter as constants).
   */
  step<T>(math: UpdateMath<T>, theta: T, gradient: T, slots: readonly T[], lr: number, t: number): {
    theta: T;
    slots: T[];
  };
}

export interface HandOptimizerOptions {
  /** Coupled L2 decay: g <- g + couplesWeightDecay * theta before the rule; 0 disables it. */
  couplesWeightDecay: number;
}

function handOptimizerShapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/**
 * Builds an Optimizer from a rule. Slots are stored variable-major: for variables v0, v1 and
 * Adam's slots m, v the order is [m(v0), v(v0), m(v1), v(v1)]; getState returns them in this order.
 */
export function createHandOptimizer(name: string, rule: HandOptimizerRule, options: HandOptimizerOptions): Optimizer {
  const slotsPerVariable = rule.slotInitialValues.length;
  let slots: tf.Variable[] | null = null;
  let iterations = 0;

  const disposeSlots = (): void => {
    for (const slot of slots ?? []) slot.dispose();
    slots = null;
  };

  // Slots restored by setState before the first apply are checked against the variables here.
  const ensureSlots = (variables: readonly tf.Variable[]): tf.Variable[] => {
    if (slots === null) {
      slots = [];
      for (const variable of variables) {
        for (const initialValue of rule.slotInitialValues) {
          const value = tf.tidy(() => initialValue(variable));
          slots.push(tf.variable(value, false));
          value.dispose();
        }
      }
      return slots;
    }
    if (slots.length !== variables.length * slotsPerVariable) {
      throw new Error(
        `${name}: the optimizer holds ${slots.length} slot tensors, but ${variables.length} variables need ` +
          `${variables.length * slotsPerVariable} (${slotsPerVariable} each)`,
      );
    }
    variables.forEach((variable, i) => {
      for (let k = 0; k < slotsPerVariable; k++) {
        const slot = slots![i * slotsPerVariable + k]!;
        if (!tf.util.arraysEqual(slot.shape, variable.shape)) {
          throw new Error(
            `${name}: slot ${k} of variable ${i} has shape ${handOptimizerShapeText(slot.shape)}, ` +
              `but the variable has shape ${handOptimizerShapeText(variable.shape)}`,
          );
        }
      }
    });
    return slots;
  };

  return {
    name,
    get iterations() {
      return iterations;
    },
    apply(variables, gradients, lr) {
      if (variables.length !== gradients.length) {
        throw new Error(`${name}: ${variables.length} variables but ${gradients.length} gradients`);
      }
      const current = ensureSlots(variables);
      const t = iterations + 1;
      // [theta, g, ...slots] -> [theta', ...slots'], coupled decay first.
      const update = <T>(math: UpdateMath<T>, [theta, gradient, ...own]: T[]): T[] => {
        const decayed = options.couplesWeightDecay === 0 ? gradient! : math.add(gradient!, math.mul(theta!, math.constant(options.couplesWeightDecay)));
        const next = rule.step(math, theta!, decayed, own, lr, t);
        return [next.theta, ...next.slots];
      };
      const fused = tf.getKernel(ELEMENTWISE_KERNEL_NAME, tf.getBackend()) != null;
      tf.tidy(() => {
        variables.forEach((variable, i) => {
          const own = current.slice(i * slotsPerVariable, (i + 1) * slotsPerVariable);
          const inputs: tf.Tensor[] = [variable, gradients[i]!, ...own];
          let next: tf.Tensor[];
          if (fused && variable.dtype === 'float32') {
            const { program, params } = traceElementwiseUpdate(inputs.length, update);
            const named = Object.fromEntries(inputs.map((tensor, k) => [`x${k}`, tensor]));
            const attrs = { program, params } as unknown as tf.NamedAttrMap;
            next = tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, named, attrs) as tf.Tensor[];
          } else {
            next = update(tensorUpdateMath, inputs);
          }
          variable.assign(next[0]!);
          own.forEach((slot, k) => slot.assign(next[k + 1]!));
        });
      });
      iterations = t;
    },
    getState() {
      // Clones: the caller owns (and disposes) them; later updates do not change them.
      return { iterations, slots: (slots ?? []).map((slot) => slot.clone()) };
    },
    setState(state) {
      if (state.slots.length === 0) {
        disposeSlots();
      } else if (slots !== null && slots.length === state.slots.length) {
        slots.forEach((slot, i) => {
          const value = state.slots[i]!;
          if (!tf.util.arraysEqual(slot.shape, value.shape)) {
            throw new Error(
              `${name}: saved slot ${i} has shape ${handOptimizerShapeText(value.shape)}, ` +
                `expected ${handOptimizerShapeText(slot.shape)}`,
            );
          }
          slot.assign(value);
        });
      } else {
        if (slotsPerVariable === 0 || state.slots.length % slotsPerVariable !== 0) {
          throw new Error(`${name}: ${state.slots.length} saved slot tensors do not fit ${slotsPerVariable} slots per variable`);
        }
        disposeSlots();
        // tf.variable shares the data (reference counted): the caller may dispose its tensors.
        slots = state.slots.map((value) => tf.variable(value, false));
      }
      iterations = state.iterations;
    },
    dispose() {
      disposeSlots();
    },
  };
}

/** A zero tensor shaped like the variable: the usual initial slot value. */
export function handOptimizerZeros(variable: tf.Variable): tf.Tensor {
  return tf.zerosLike(variable);
}
