import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const fullBatchGd = defineRule({
  id: 'full-batch-gd',
  description: 'Warns when gd is given a batch size: gd always steps on the whole training split.',
  needs: ['optimizer', 'train'],
  check(ir, context) {
    const span = ir.train.spans.batch;
    if (ir.optimizer.kind !== 'gd' || ir.train.batch === 'full' || !span) return [];
    const message = `gd always uses the whole training split as one batch, so batch: ${ir.train.batch} is ignored; write batch: full, or use sgd for mini-batches.`;
    return [diagnostic('W0602', 'warning', message, context.file, span)];
  },
});
