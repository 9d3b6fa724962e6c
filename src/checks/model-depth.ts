import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/**
 * tfjs walks a model's graph recursively (buildMapOfGraph, one stack frame per layer on the
 * path): a chain of about 5,000 layers overflows Node's default stack while the model is built,
 * after the data is loaded ("Maximum call stack size exceeded", an internal error before this
 * check). 4,000 still built on the cpu backend; the limit leaves room for the deeper stacks of
 * saving, compiled programs and other backends. Every model that passes check can be built.
 */
export const MAX_MODEL_LAYERS = 2000;

export const modelDepth = defineRule({
  id: 'model-depth',
  description: `The model has at most ${MAX_MODEL_LAYERS.toLocaleString('en-US')} layers, so that tfjs can build it.`,
  needs: ['model'],
  check(ir, context) {
    const count = ir.model.nodes.length;
    if (count <= MAX_MODEL_LAYERS) return [];
    const format = (n: number): string => n.toLocaleString('en-US');
    const message = `The model has ${format(count)} layers, more than the ${format(MAX_MODEL_LAYERS)} that tfjs can build (its graph walk is recursive and overflows the stack on a deeper model); use fewer layers.`;
    return [diagnostic('E0306', 'error', message, context.file, ir.model.span)];
  },
});
