import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/** Ratios such as 0.7 + 0.15 + 0.15 are not exactly 1 in binary floating point. */
const TOLERANCE = 1e-9;

/** Ratios written as percentages (70/15/15): each in [0, 100], some above 1, summing to 100. */
export function looksLikePercentages(split: { train: number; validation: number; test: number }): boolean {
  const parts = [split.train, split.validation, split.test];
  return parts.some((part) => part > 1) && parts.every((part) => part >= 0 && part <= 100) && Math.abs(parts[0]! + parts[1]! + parts[2]! - 100) <= 1e-6;
}

export const splitRatios = defineRule({
  id: 'split-ratios',
  description: 'The train, validation and test ratios of the split sum to 1.',
  needs: ['data'],
  check(ir, { file }) {
    const { train, validation, test, spans, span } = ir.data.split;
    const sum = train + validation + test;
    if (Math.abs(sum - 1) <= TOLERANCE) return [];
    if (looksLikePercentages(ir.data.split)) {
      const fraction = (part: number): number => Number((part / 100).toPrecision(12));
      const message = `The split ratios ${train}/${validation}/${test} are percentages; write fractions that sum to 1: train: ${fraction(train)}, validation: ${fraction(validation)}, test: ${fraction(test)}.`;
      return [diagnostic('E0402', 'error', message, file, spans.train ?? spans.validation ?? spans.test ?? span)];
    }
    const shown = Number(sum.toPrecision(12));
    const message = `The split ratios sum to ${shown} (train ${train} + validation ${validation} + test ${test}); they must sum to 1.`;
    return [diagnostic('E0402', 'error', message, file, spans.train ?? spans.validation ?? spans.test ?? span)];
  },
});
