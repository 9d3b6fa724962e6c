import { diagnostic } from '../diagnostics/diagnostic.js';
import { formatShape } from '../ir/shape-rules.js';
import { expectedOutput } from './expected-output.js';
import { soleOutput } from './model-facts.js';
import { defineRule } from './rule.js';

export const outputRank = defineRule({
  id: 'output-rank',
  description: 'The output keeps a sequence axis exactly when the labels are per token.',
  needs: ['model', 'data', 'loss'],
  check(ir, context) {
    const output = soleOutput(ir.model);
    const shape = output && context.shapes().shapes.get(output.name);
    const expected = expectedOutput(ir.loss, context.data().labels, context.data().origin);
    if (!output || !shape || !expected) return [];
    const leading = shape.slice(0, -1);
    const wantLeading = expected.shape.slice(0, -1);
    if (leading.length === wantLeading.length && leading.every((d, i) => d === null || wantLeading[i] === null || d === wantLeading[i])) return [];
    const want = formatShape([...wantLeading, shape[shape.length - 1]!]);
    const fix =
      wantLeading.length === 0
        ? 'flatten or pool the sequence axis before the last layer'
        : 'keep the sequence axis (e.g. return_sequences: true, no flatten)';
    const message = `The output '${output.name}' has shape ${formatShape(shape)} but ${expected.why}, so it must have shape ${want}; ${fix}.`;
    return [diagnostic('E0605', 'error', message, context.file, output.span)];
  },
});
