import { diagnostic } from '../diagnostics/diagnostic.js';
import { totalParams } from '../ir/shapes.js';
import { defineRule } from './rule.js';

export const DEFAULT_MAX_PARAMS = 100_000_000;

export const modelSize = defineRule({
  id: 'model-size',
  description: 'The model has at most maxParams parameters (--max-params, default 100,000,000), counted before anything is allocated.',
  needs: ['model'],
  check(ir, context) {
    const total = totalParams(context.shapes());
    if (total <= context.maxParams) return [];
    const format = (n: number): string => n.toLocaleString('en-US');
    const message = `The model has ${format(total)} parameters, more than the limit of ${format(context.maxParams)}; make it smaller, or raise the limit with --max-params ${total}.`;
    return [diagnostic('E0304', 'error', message, context.file, ir.model.span)];
  },
});
