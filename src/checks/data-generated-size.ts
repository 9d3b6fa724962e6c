import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/** The runtime's DATA_GENERATOR_MAX_VALUES (src/runtime/data/generator-options.ts); a test keeps them equal. */
export const GENERATED_MAX_VALUES = 10_000_000;

/**
 * `random`, `sine` and `sequence` sources would generate more numbers than a generated data set
 * may hold: `run` refuses them (E0529) before allocating; `check` and `plan` say so first.
 */
export const dataGeneratedSize = defineRule({
  id: 'data-generated-size',
  description: `A generated data set holds at most ${GENERATED_MAX_VALUES.toLocaleString('en-US')} numbers (features and labels).`,
  needs: ['data'],
  check(ir, context) {
    const s = ir.data.source;
    const values =
      s.kind === 'random' ? s.samples * (s.features + (s.classes > 0 ? 1 : s.targets)) : s.kind === 'sine' ? s.samples * (s.window + 1) : s.kind === 'sequence' ? 2 * s.samples * s.length : 0;
    if (!(values > GENERATED_MAX_VALUES)) return [];
    const count = Number.isFinite(values) ? values.toLocaleString('en-US') : 'more than 10^308';
    const message = `${s.kind}(...) would generate ${count} numbers, more than the ${GENERATED_MAX_VALUES.toLocaleString('en-US')} a generated data set may hold; use fewer samples.`;
    return [diagnostic('E0529', 'error', message, context.file, s.spans.samples ?? s.span)];
  },
});
