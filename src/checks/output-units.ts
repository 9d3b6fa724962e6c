import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { expectedOutput } from './expected-output.js';
import { soleOutput, widthSpan } from './model-facts.js';
import { defineRule } from './rule.js';

export const outputUnits = defineRule({
  id: 'output-units',
  description: 'The output has one unit per class (cross-entropy), one unit (binary cross-entropy) or one per target (regression).',
  needs: ['model', 'data', 'loss'],
  check(ir, context) {
    const output = soleOutput(ir.model);
    const shape = output && context.shapes().shapes.get(output.name);
    const { labels, origin } = context.data();
    const expected = expectedOutput(ir.loss, labels, origin);
    if (!output || !shape || !expected) return [];
    const units = shape[shape.length - 1];
    const want = expected.shape[expected.shape.length - 1];
    if (units === null || units === undefined || want === null || want === undefined || units === want) return [];
    const at = (code: string, message: string): Diagnostic[] => [diagnostic(code, 'error', message, context.file, widthSpan(output))];
    if (ir.loss.kind === 'binary_cross_entropy') {
      return at('E0602', `binary_cross_entropy needs an output of 1 unit (the probability of the positive class), but '${output.name}' has ${units}; use ${units === 2 ? 'dense(1), or sparse_categorical_cross_entropy with these 2 units' : 'dense(1)'}.`);
    }
    if (labels?.kind === 'classes' || labels?.kind === 'tokens') {
      const names = labels.kind === 'classes' && labels.names ? ` (${labels.names.join(', ')})` : '';
      return at('E0601', `The output '${output.name}' has ${units} unit${units === 1 ? '' : 's'} but the data has ${want} class${want === 1 ? '' : 'es'}${names}; ${ir.loss.kind} needs one unit per class.`);
    }
    return at('E0609', `The output '${output.name}' has ${units} unit${units === 1 ? '' : 's'} but ${expected.why}; use ${want} unit${want === 1 ? '' : 's'}.`);
  },
});
