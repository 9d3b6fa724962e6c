import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';
import { typedColumnsInUse } from './typed-column-facts.js';

export const dataReshape = defineRule({
  id: 'data-reshape',
  description: 'The sizes of data.reshape multiply to the number of features per sample.',
  needs: ['data'],
  check(ir, context) {
    const { reshape, spans } = ir.data;
    // Typed columns change the feature count once encoded; the run checks reshape then (E0521).
    if (typedColumnsInUse(ir)) return [];
    const sample = context.data().sampleShape;
    if (!reshape || !sample || reshape.some((size) => size < 1)) return [];
    const features = sample.reduce((a, b) => a * b, 1);
    const product = reshape.reduce((a, b) => a * b, 1);
    if (product === features) return [];
    const message = `reshape: [${reshape.join(', ')}] holds ${product} values but each sample of ${context.data().origin} has ${features} features; use sizes that multiply to ${features}.`;
    return [diagnostic('E0521', 'error', message, context.file, spans.reshape ?? ir.data.span)];
  },
});
