/** Schema of the `train { ... }` section. */
import { metricNames } from './enums.js';
import { atLeastOne, byDefault, nonNegative, type SectionSchema } from './types.js';

export const trainSchema: SectionSchema = {
  name: 'train',
  doc: 'How long and in what batches to train.',
  options: [
    { name: 'epochs', type: { kind: 'int' }, default: byDefault(1), domain: nonNegative, doc: 'Passes over the training split.' },
    { name: 'batch', type: { kind: 'int_or_word', word: 'full' }, default: byDefault(32), domain: atLeastOne, doc: 'Samples per step, or `full` for the whole training split.' },
    { name: 'seed', type: { kind: 'int' }, default: byDefault(0), domain: nonNegative, doc: 'Seed of every random choice (initial weights, dropout, split, shuffle).' },
    { name: 'metrics', type: { kind: 'enums', of: 'metric', values: metricNames }, default: byDefault([]), doc: 'Reported each epoch besides the loss, for each split.' },
    { name: 'stop', type: { kind: 'call', family: 'stop' }, default: byDefault({ kind: 'epochs' }), doc: 'When to stop before train.epochs.' },
    { name: 'checkpoint_every', type: { kind: 'int' }, default: byDefault(1), domain: nonNegative, doc: 'Write a checkpoint at the end of every N epochs (but no sooner than 20 times the last checkpoint\'s writing time); 0 turns epoch checkpoints off.' },
    { name: 'checkpoint_seconds', type: { kind: 'number' }, default: byDefault(60), domain: nonNegative, doc: 'Within an epoch, write a checkpoint at the first step boundary at least this many seconds after the last one; 0 turns these off.' },
  ],
  sections: [],
};
