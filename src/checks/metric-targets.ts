import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

const classificationMetrics: readonly string[] = ['accuracy', 'precision', 'recall', 'f1'];
const regressionLosses: readonly string[] = ['mse', 'mae', 'huber'];

/**
 * Accuracy, precision, recall and f1 count classes. After a regression loss the runtime would
 * binarise targets and predictions at 0.5 and report a number that means nothing (1.0000 for
 * any targets above 0.5), so they are refused.
 */
export const metricTargets = defineRule({
  id: 'metric-targets',
  description: 'Classification metrics (accuracy, precision, recall, f1) need a classification loss.',
  needs: ['loss', 'train'],
  check(ir, context) {
    if (!regressionLosses.includes(ir.loss.kind)) return [];
    const wrong = ir.train.metrics.filter((metric) => classificationMetrics.includes(metric));
    if (wrong.length === 0) return [];
    const list = wrong.join(', ');
    const message = `${list} ${wrong.length === 1 ? 'counts' : 'count'} correct classes, but ${ir.loss.kind} is a regression loss with real-valued targets; use regression metrics such as [mae, rmse, r2], or a classification loss (sparse_categorical_cross_entropy, binary_cross_entropy) if the labels are classes.`;
    return [diagnostic('E0610', 'error', message[0]!.toUpperCase() + message.slice(1), context.file, ir.train.spans.metrics ?? ir.train.span)];
  },
});
