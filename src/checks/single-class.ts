import { diagnostic } from '../diagnostics/diagnostic.js';
import { echoValue } from '../runtime/safe-text.js';
import { defineRule } from './rule.js';

const CLASSIFICATION_LOSSES = new Set(['binary_cross_entropy', 'categorical_cross_entropy', 'sparse_categorical_cross_entropy']);

/**
 * A classifier needs at least two classes: with one, there is nothing to learn, and tfjs's
 * oneHot refuses a depth of 1 in the middle of the run (it was an internal error, exit 70).
 */
export const singleClass = defineRule({
  id: 'single-class',
  description: 'Class labels of a classification loss take at least two values.',
  needs: ['loss', 'data'],
  check(ir, context) {
    const { labels, origin } = context.data();
    if (!labels || labels.kind !== 'classes' || labels.count !== 1 || !CLASSIFICATION_LOSSES.has(ir.loss.kind)) return [];
    const label = ir.data.source.kind === 'csv' ? ir.data.source.label : 'label';
    const name = labels.names?.[0];
    const span = ir.data.source.spans['label'] ?? ir.data.source.span;
    return [
      diagnostic(
        'E0612',
        'error',
        `Every label of ${origin} is the same class${name === undefined ? '' : ` (\`${echoValue(name)}\`)`}, so ${ir.loss.kind} has nothing to learn; a classifier needs rows of at least two classes in \`${label}\`.`,
        context.file,
        span,
      ),
    ];
  },
});
