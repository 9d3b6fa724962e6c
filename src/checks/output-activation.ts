import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { finalActivation, soleOutput } from './model-facts.js';
import { defineRule } from './rule.js';

const regressionLosses = ['mse', 'mae', 'huber'];

export const outputActivation = defineRule({
  id: 'output-activation',
  description: 'Warns when a regression loss follows sigmoid/softmax, or a probability loss follows a linear output.',
  needs: ['loss', 'model'],
  check(ir, context) {
    const output = soleOutput(ir.model);
    const activation = output && finalActivation(output, ir.model);
    if (!output || !activation) return [];
    const loss = ir.loss;
    const found: Diagnostic[] = [];
    if (regressionLosses.includes(loss.kind) && (activation.fn === 'sigmoid' || activation.fn === 'softmax')) {
      const effect = activation.fn === 'sigmoid' ? 'limits every prediction to (0, 1)' : 'makes the predictions sum to 1';
      const message = `The output '${output.name}' ends with ${activation.fn}, which ${effect}, but ${loss.kind} is a regression loss; remove the activation unless the targets fit that range.`;
      found.push(diagnostic('W0601', 'warning', message, context.file, activation.span));
    }
    if ('from_logits' in loss && !loss.from_logits && activation.fn === 'linear') {
      const wanted = loss.kind === 'binary_cross_entropy' ? 'sigmoid' : 'softmax';
      const message = `The output '${output.name}' is linear but ${loss.kind} expects probabilities (from_logits: false); add activation: ${wanted}, or write ${loss.kind}(from_logits: true).`;
      found.push(diagnostic('W0603', 'warning', message, context.file, activation.span));
    }
    return found;
  },
});
