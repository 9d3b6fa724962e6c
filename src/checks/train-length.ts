import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

/**
 * Most optimizer steps a run may take. `plan` computes the learning rate of every step and a
 * run keeps per-step history (about 300 bytes a step), so 10 million steps is already seconds and
 * gigabytes; `epochs: 9007199254740991` passes "epochs >= 0" but would never finish.
 */
export const MAX_TRAINING_STEPS = 10_000_000;

/** Rows of the training split: n minus floor(n * validation) and floor(n * test) (src/runtime/data/split.ts). */
function trainRows(n: number, validation: number, test: number): number {
  const share = (ratio: number): number => Math.min(n, Math.floor(n * ratio + 1e-9));
  const held = share(validation);
  return n - held - Math.min(n - held, share(test));
}

export const trainLength = defineRule({
  id: 'train-length',
  description: `A run takes at most ${MAX_TRAINING_STEPS.toLocaleString('en-US')} optimizer steps (epochs times steps per epoch).`,
  needs: ['train', 'data', 'optimizer'],
  check(ir, context) {
    const { epochs, batch } = ir.train;
    // Sizes outside their domain (batch: 0) are reported by option-domains.
    if (!(epochs >= 0) || (batch !== 'full' && !(batch >= 1))) return [];
    const source = ir.data.source;
    const rows = source.kind === 'csv' || source.kind === 'images' ? (context.data().labelCells?.length ?? null) : source.samples;
    const fullBatch = batch === 'full' || ir.optimizer.kind === 'gd';
    const perEpoch = rows === null ? 1 : fullBatch ? 1 : Math.max(1, Math.ceil(trainRows(rows, ir.data.split.validation, ir.data.split.test) / (batch as number)));
    const steps = epochs * perEpoch;
    if (steps <= MAX_TRAINING_STEPS) return [];
    const limit = MAX_TRAINING_STEPS.toLocaleString('en-US');
    const how = perEpoch === 1 ? `${epochs.toLocaleString('en-US')} epochs of one step` : `${epochs.toLocaleString('en-US')} epochs of ${perEpoch.toLocaleString('en-US')} steps`;
    const message = `This run would take ${how}, more than the ${limit} optimizer steps mlspec runs; use fewer epochs (with stop: early(...) to end a long run when it stops improving).`;
    return [diagnostic('E0406', 'error', message, context.file, ir.train.spans.epochs ?? ir.train.span)];
  },
});
