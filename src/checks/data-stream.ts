import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { imagesStream } from '../runtime/data/images-stream-choice.js';
import { defineRule } from './rule.js';

/** `stream: true` (docs/semantics.md, "Streamed data"): one file given as `path`, and mini-batches. */
export const dataStream = defineRule({
  id: 'data-stream',
  description: 'Streamed CSV data (`stream: true`) reads one file given as `path`; streamed data (CSV or image folders) trains in mini-batches, not full-batch gd.',
  needs: ['data', 'optimizer'],
  check(ir, context) {
    const { file } = context;
    const source = ir.data.source;
    if (source.kind === 'images') {
      // An image folder streams when it says so or when it is too large for memory (its file count is known from the listing).
      const files = context.data().labelCells?.length ?? 0;
      if (ir.optimizer.kind !== 'gd' || !imagesStream(source, files)) return [];
      const written = source.stream === true ? 'remove `stream: true`' : 'use a smaller size or fewer images';
      return [diagnostic('E0562', 'error', `Full-batch gradient descent (\`gd\`) takes the whole training split as one batch, which a streamed image folder never holds; use \`sgd\` (or another optimizer) with \`train.batch\`, or ${written}.`, file, source.spans.stream ?? source.span)];
    }
    if (source.kind !== 'csv' || source.stream !== true) return [];
    const span = source.spans.stream ?? source.span;
    const found: Diagnostic[] = [];
    if (source.path === null && source.train !== null) {
      found.push(diagnostic('E0560', 'error', 'Streamed data (`stream: true`) reads one file given as `path`; split files (`train:`, `validation:`, `test:`) are read in memory, so remove `stream: true`.', file, span));
    }
    if (ir.optimizer.kind === 'gd') {
      found.push(diagnostic('E0562', 'error', 'Full-batch gradient descent (`gd`) takes the whole training split as one batch, which streamed data never holds; use `sgd` (or another optimizer) with `train.batch`, or remove `stream: true`.', file, span));
    }
    return found;
  },
});
