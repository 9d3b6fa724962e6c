import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const normalizeTokens = defineRule({
  id: 'normalize-tokens',
  description: 'normalize is not applied to token ids (sequence data).',
  needs: ['data'],
  check(ir, context) {
    if (!context.data().tokens || ir.data.normalize === 'none') return [];
    const message = `normalize: ${ir.data.normalize} cannot apply to the token ids of ${context.data().origin}; remove normalize from the data section.`;
    return [diagnostic('E0526', 'error', message, context.file, ir.data.spans.normalize ?? ir.data.span)];
  },
});
