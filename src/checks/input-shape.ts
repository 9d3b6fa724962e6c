import { diagnostic } from '../diagnostics/diagnostic.js';
import { formatShape } from '../ir/shape-rules.js';
import { soleInput } from './model-facts.js';
import { defineRule } from './rule.js';
import { typedColumnsInUse } from './typed-column-facts.js';

export const inputShape = defineRule({
  id: 'input-shape',
  description: 'The input shape equals the shape of one data sample (data.reshape if given, else the source\'s).',
  needs: ['model', 'data'],
  check(ir, context) {
    // Typed columns and inputs that read columns: input-columns.ts checks the shape.
    if (typedColumnsInUse(ir)) return [];
    const input = soleInput(ir.model);
    const facts = context.data();
    const sample = ir.data.reshape ?? facts.sampleShape;
    if (!input || !sample) return [];
    const shape = input.config.shape;
    if (shape.length === sample.length && shape.every((d, i) => d === sample[i])) return [];
    const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
    const where = ir.data.reshape
      ? `reshape: ${formatShape(sample)} in the data section makes each sample ${formatShape(sample)}`
      : `each sample of ${facts.origin} has shape ${formatShape(sample)}${facts.tokens ? ` (${count(sample)} tokens)` : ` (${count(sample)} feature${count(sample) === 1 ? '' : 's'})`}`;
    const alternative = !ir.data.reshape && count(shape) === count(sample) ? `, or add reshape: ${formatShape(shape)} to the data section` : '';
    const message = `Input '${input.name}' has shape ${formatShape(shape)} but ${where}; write input(shape: ${formatShape(sample)})${alternative}.`;
    const found = diagnostic('E0604', 'error', message, context.file, input.spans.shape ?? input.span);
    if (!input.spans.shape) return [found];
    const newText = formatShape(sample);
    return [{ ...found, fixes: [{ title: `Write input(shape: ${newText})`, edits: [{ span: input.spans.shape, newText }] }] }];
  },
});
