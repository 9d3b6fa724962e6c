import { diagnostic } from '../diagnostics/diagnostic.js';
import { finalActivation, soleOutput } from './model-facts.js';
import { defineRule } from './rule.js';

export const logitsActivation = defineRule({
  id: 'logits-activation',
  description: 'A loss with from_logits: true gets raw logits, not the output of softmax or sigmoid.',
  needs: ['loss', 'model'],
  check(ir, context) {
    const loss = ir.loss;
    if (!('from_logits' in loss) || !loss.from_logits) return [];
    const output = soleOutput(ir.model);
    const activation = output && finalActivation(output, ir.model);
    if (!activation || (activation.fn !== 'softmax' && activation.fn !== 'sigmoid')) return [];
    const message = `The output '${output.name}' ends with ${activation.fn}, but ${loss.kind} has from_logits: true and would apply it again; write from_logits: false, or remove the ${activation.fn} activation.`;
    const found = diagnostic('E0603', 'error', message, context.file, loss.spans.from_logits ?? loss.span, [`The ${activation.fn} is on line ${activation.span.start.line}.`]);
    const related = [{ message: `the ${activation.fn} is here`, span: activation.span }];
    const fixes = loss.spans.from_logits ? [{ title: 'Write from_logits: false', edits: [{ span: loss.spans.from_logits, newText: 'false' }] }] : [];
    return [{ ...found, related, ...(fixes.length > 0 ? { fixes } : {}) }];
  },
});
