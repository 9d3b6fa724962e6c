/**
 * Where the training loop's batches come from (the seam between data and loop): for every epoch,
 * an async iterator of batches in visiting order. Data in memory (memoryBatchSource) gathers the
 * rows of a seeded permutation batch by batch, as the loop always did; streamed data
 * (data/csv-stream-dataset.ts) reads the file again each epoch through a shuffle buffer.
 */
import * as tf from '@tensorflow/tfjs';
import type { Split } from './contracts.js';
import type { TrainingPlan } from './plan.js';
import { createRng, deriveSeed, permutation } from './rng.js';

/** One batch; `release` frees its tensors (a no-op for the whole split itself). */
export interface TrainBatch extends Split {
  release(): void;
}

export interface TrainBatchSource {
  /** Training rows per epoch. */
  readonly rows: number;
  /**
   * The epoch's batches of `batchSize` rows (the last may be smaller), starting at batch `fromBatch`
   * (a resumed epoch); every epoch's order is derived from (seed, epoch) alone.
   */
  epoch(epoch: number, batchSize: number, fromBatch: number): AsyncIterator<TrainBatch>;
}

/** The order in which an epoch visits the training samples held in memory; null: file order. */
function trainEpochOrder(plan: Pick<TrainingPlan, 'shuffle' | 'batch'>, seed: number, epoch: number, n: number): number[] | null {
  if (!plan.shuffle || plan.batch === 'full') return null;
  return permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch)));
}

/**
 * A batch: the rows of a shuffled epoch are gathered batch by batch (one row copy each), which
 * never holds a second, shuffled copy of the whole training set; in order, a batch is a slice.
 */
function memoryBatchOf(split: Split, order: number[] | null, start: number, size: number): TrainBatch {
  const owned = (x: tf.Tensor, y: tf.Tensor): TrainBatch => ({ x, y, release: () => tf.dispose([x, y]) });
  if (order !== null) {
    const batch = tf.tidy(() => {
      const index = tf.tensor1d(order.slice(start, start + size), 'int32');
      return [tf.gather(split.x, index), tf.gather(split.y, index)] as const;
    });
    return owned(batch[0], batch[1]);
  }
  const n = split.x.shape[0]!;
  if (start === 0 && size === n) return { x: split.x, y: split.y, release: () => {} };
  return owned(split.x.slice(start, size), split.y.slice(start, size));
}

/** Batches of a training split held in memory. */
export function memoryBatchSource(plan: Pick<TrainingPlan, 'shuffle' | 'batch'>, seed: number, train: Split): TrainBatchSource {
  const rows = train.x.shape[0]!;
  return {
    rows,
    epoch: async function* (epoch, batchSize, fromBatch) {
      const order = trainEpochOrder(plan, seed, epoch, rows);
      for (let start = fromBatch * batchSize; start < rows; start += batchSize) {
        yield memoryBatchOf(train, order, start, Math.min(batchSize, rows - start));
      }
    },
  };
}
