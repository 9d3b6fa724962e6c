import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const lossLabels = defineRule({
  id: 'loss-labels',
  description: 'Cross-entropy losses get class labels; binary cross-entropy gets one of two classes per sample; regression losses get real values, not classes.',
  needs: ['loss', 'data'],
  check(ir, context) {
    const { labels, origin } = context.data();
    const loss = ir.loss;
    if (!labels) return [];
    const fail = (message: string): Diagnostic[] => [diagnostic('E0524', 'error', message, context.file, loss.span)];
    const csvHint = ir.data.source.kind === 'csv' ? 'set categorical: true in csv(...) if they are class names, or use a regression loss such as mse' : 'use a regression loss such as mse';
    if ((loss.kind === 'categorical_cross_entropy' || loss.kind === 'sparse_categorical_cross_entropy') && labels.kind === 'values') {
      return fail(`${loss.kind} needs class labels, but the labels of ${origin} are real values; ${csvHint}.`);
    }
    if (loss.kind === 'binary_cross_entropy' && labels.kind === 'tokens') {
      return fail(`binary_cross_entropy needs one class per sample, but ${origin} has one class per token; use sparse_categorical_cross_entropy.`);
    }
    if (loss.kind === 'binary_cross_entropy' && labels.kind === 'classes' && labels.count !== null && labels.count > 2) {
      const names = labels.names ? ` (${labels.names.join(', ')})` : '';
      return fail(`binary_cross_entropy needs two classes, but ${origin} has ${labels.count}${names}; use sparse_categorical_cross_entropy with one output unit per class.`);
    }
    if (regressionLosses.includes(loss.kind) && labels.kind !== 'values') {
      // Refused rather than one-hot encoded: a regression on class indices (or on one-hot rows)
      // trains, but its "accuracy" and predictions mean nothing (docs/semantics.md, "Losses").
      const what = labels.kind === 'tokens' ? `one class per token (${labels.count} classes)` : classList(labels.count, labels.names);
      const units = labels.kind === 'classes' && labels.count !== null ? labels.count : labels.kind === 'tokens' ? labels.count : 'one per class';
      const binary = labels.kind === 'classes' && labels.count === 2 ? ', or binary_cross_entropy with dense(1, activation: sigmoid)' : '';
      return fail(
        `${loss.kind} is a regression loss, but the labels of ${origin} are ${what}; write loss: sparse_categorical_cross_entropy with an output of ${units} unit${units === 1 ? '' : 's'} and activation: softmax${binary}.`,
      );
    }
    return [];
  },
});

const regressionLosses: readonly string[] = ['mse', 'mae', 'huber'];

function classList(count: number | null, names: string[] | null): string {
  if (count === null) return 'class names (categorical: true)';
  const shown = names && names.length <= 8 ? ` (${names.join(', ')})` : '';
  return `${count} class${count === 1 ? '' : 'es'}${shown}`;
}
