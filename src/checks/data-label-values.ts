import { diagnostic } from '../diagnostics/diagnostic.js';
import { firstNonNumber } from './data-cells.js';
import { defineRule } from './rule.js';

/**
 * A CSV label column that is not categorical must hold numbers. `run` reports the same cell as
 * E0511; `check` finds it too, since names such as `setosa` under a regression loss are class
 * labels that the spec forgot to mark.
 */
export const dataLabelValues = defineRule({
  id: 'data-label-values',
  description: 'A label column without categorical: true holds numbers.',
  needs: ['data'],
  check(ir, context) {
    const source = ir.data.source;
    const cells = context.data().labelCells;
    if (source.kind !== 'csv' || source.categorical || !cells) return [];
    // (Sparse) categorical cross-entropy on labels not marked categorical is reported by loss-labels (E0524), with the same fix.
    if (ir.loss?.kind === 'categorical_cross_entropy' || ir.loss?.kind === 'sparse_categorical_cross_entropy') return [];
    const bad = firstNonNumber(cells);
    if (!bad) return [];
    const fix = ir.loss?.kind === 'binary_cross_entropy' ? 'write csv(..., categorical: true) if the labels are two class names' : 'if the labels are class names, write csv(..., categorical: true) and a classification loss such as sparse_categorical_cross_entropy';
    const message = `The label column '${source.label}' of ${source.path ?? source.train} holds \`${bad.text}\` (data row ${bad.row}), which is not a number; ${fix}.`;
    return [diagnostic('E0511', 'error', message, context.file, source.spans.label ?? source.span)];
  },
});
