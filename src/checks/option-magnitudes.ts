import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { optionHolders } from './option-holders.js';
import { defineRule } from './rule.js';

/** The smallest normal float32 (2^-126) and the largest finite one. */
export const FLOAT32_MIN_NORMAL = 2 ** -126;
export const FLOAT32_MAX = (2 - 2 ** -23) * 2 ** 127;

/** Learning rates outside this range train nothing (the update is lost in rounding) or diverge at once. */
export const LR_USUAL_MIN = 1e-8;
export const LR_USUAL_MAX = 10;
/** An epsilon above this dominates the denominator it guards. */
export const EPSILON_USUAL_MAX = 1;

/**
 * Numbers inside their option's domain that training still cannot use: training runs in float32,
 * where a value below 2^-126 is 0 or a denormal (lr 5e-324 becomes 0; an epsilon of 1e-40 lets a
 * division by zero through) and one above about 3.4e38 is Infinity. Refused, with the value's
 * span. Learning rates far outside the usual range get a warning.
 */
export const optionMagnitudes = defineRule({
  id: 'option-magnitudes',
  description: 'Real-valued options are normal float32 numbers; learning rates lie between 1e-8 and 10 and epsilons at most 1 (warnings).',
  needs: [],
  check(ir, { file }) {
    const found: Diagnostic[] = [];
    for (const holder of optionHolders(ir)) {
      for (const option of holder.options) {
        if (option.type.kind !== 'number' && option.type.kind !== 'numbers') continue;
        const value = holder.values[option.name];
        const items = typeof value === 'number' ? [value] : Array.isArray(value) ? value.filter((v): v is number => typeof v === 'number') : [];
        const span = holder.spans[option.name] ?? holder.span;
        const bad = items.find((v) => v !== 0 && Number.isFinite(v) && (Math.abs(v) < FLOAT32_MIN_NORMAL || Math.abs(v) > FLOAT32_MAX));
        if (bad !== undefined) {
          const effect = Math.abs(bad) > FLOAT32_MAX ? 'Infinity' : Math.fround(bad) === 0 ? '0' : 'a denormal number that loses its precision';
          const fix = option.name === 'lr' ? 'write a learning rate such as 0.001' : Math.abs(bad) > FLOAT32_MAX ? 'write a value below 3.4e38' : 'write 0 or a value of at least 1.2e-38';
          const message = `Option '${option.name}' of ${holder.label} is ${bad}, which is ${effect} in float32, the precision training runs in; ${fix}.`;
          found.push(diagnostic('E0405', 'error', message, file, span));
          continue;
        }
        if (option.name === 'lr' && typeof value === 'number' && value > 0 && (value < LR_USUAL_MIN || value > LR_USUAL_MAX)) {
          const why = value < LR_USUAL_MIN ? 'so small that each update is lost in float32 rounding and the weights do not change' : 'so large that training diverges to NaN within a few steps';
          const message = `The learning rate ${value} of ${holder.label} is ${why}; learning rates are usually between 1e-5 and 1 (adam: 0.001, sgd: 0.01).`;
          found.push(diagnostic('W0401', 'warning', message, file, span));
        }
        if (option.name === 'epsilon' && typeof value === 'number' && value > EPSILON_USUAL_MAX && Number.isFinite(value) && value <= FLOAT32_MAX) {
          const message = `Option 'epsilon' of ${holder.label} is ${value}, which swamps what it is added to (a gradient's root mean square, or a variance, is usually far below 1), so ${holder.label.includes("'") ? 'the layer barely normalizes' : 'the updates shrink to almost nothing'}; epsilon is usually 1e-7 to 1e-3.`;
          found.push(diagnostic('W0402', 'warning', message, file, span));
        }
      }
    }
    return found;
  },
});
