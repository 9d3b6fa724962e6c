/**
 * Where the training loop's batches come from when they are not the prepared training split in
 * memory (the seam between data and loop, TrainingRun in loop-steps.ts): for every epoch, an
 * async iterator of batches in visiting order. Streamed data (data/csv-stream-dataset.ts) reads
 * the file again each epoch through a shuffle buffer. Data in memory is gathered by the loop
 * itself from a seeded permutation (train.ts: trainEpochOrder, batchOf), as it always was.
 */
import type { Split } from './contracts.js';

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
