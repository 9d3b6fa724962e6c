import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/** Ratios such as 0.7 + 0.15 + 0.15 are not exactly 1 in binary floating point. */
const TOLERANCE = 1e-9;

export const splitRatios = defineRule({
  id: 'split-ratios',
  description: 'The train, validation and test ratios of the split sum to 1.',
  needs: ['data'],
  check(ir, { file }) {
    const { train, validation, test, spans, span } = ir.data.split;
    const sum = train + validation + test;
    if (Math.abs(sum - 1) <= TOLERANCE) return [];
    const shown = Number(sum.toPrecision(12));
    const message = `The split ratios sum to ${shown} (train ${train} + validation ${validation} + test ${test}); they must sum to 1.`;
    return [diagnostic('E0402', 'error', message, file, spans.train ?? spans.validation ?? spans.test ?? span)];
  },
});
