import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/**
 * `images(channels: ...)` is 1 or 3 (grey or RGB). The sizes' range (1 to 1024 each) is the
 * schema's domain, reported by option-domains; their count (one number or two) by the builder.
 */
export const dataImageOptions = defineRule({
  id: 'data-image-options',
  description: 'images(...) has channels: 1 (grey) or channels: 3 (RGB).',
  needs: ['data'],
  check(ir, { file }) {
    const source = ir.data.source;
    if (source.kind !== 'images' || source.channels === 1 || source.channels === 3) return [];
    const message = `images(channels: ${source.channels}) is not supported: channels must be 1 (grey) or 3 (RGB, alpha ignored); write channels: 1 or channels: 3.`;
    return [diagnostic('E0554', 'error', message, file, source.spans.channels ?? source.span)];
  },
});
