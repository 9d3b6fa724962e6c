import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const lossLabels = defineRule({
  id: 'loss-labels',
  description: 'Cross-entropy losses get class labels; binary cross-entropy gets one of two classes per sample.',
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
    return [];
  },
});
