/**
 * The output shape the data and loss call for: [classes] for one class per sample,
 * [length, classes] for one class per token, [targets] for real values, [1] for binary
 * cross-entropy. Null when unknown, or when the loss does not fit the labels (loss-labels reports that).
 */
import type { LossIR } from '../ir/types.js';
import type { LabelFacts } from './data-facts.js';

export type ExpectedOutput = { shape: (number | null)[]; why: string };

export function expectedOutput(loss: LossIR, labels: LabelFacts | null, origin: string): ExpectedOutput | null {
  if (!labels) return null;
  const crossEntropy = loss.kind === 'categorical_cross_entropy' || loss.kind === 'sparse_categorical_cross_entropy';
  if (loss.kind === 'binary_cross_entropy') {
    if (labels.kind === 'tokens' || (labels.kind === 'classes' && labels.count !== null && labels.count > 2)) return null;
    return { shape: [labels.kind === 'values' ? labels.targets : 1], why: 'binary_cross_entropy needs one unit per sample' };
  }
  if (crossEntropy) {
    if (labels.kind === 'values') return null;
    if (labels.kind === 'tokens') return { shape: [labels.length, labels.count], why: `${origin} has a label per token` };
    return { shape: [labels.count], why: `${origin} has one class label per sample` };
  }
  if (labels.kind === 'values') return { shape: [labels.targets], why: `${origin} has ${labels.targets} target${labels.targets === 1 ? '' : 's'} per sample` };
  return null;
}
