/**
 * A training plan: everything a run needs, already built. `mlspec run` builds it from the IR
 * (src/lower + src/interpret); a compiled program's train.ts builds it with visible calls of the
 * runtime (and may have been edited since). Both hand it to runTraining (program.ts), so both
 * run exactly the same code.
 */
import type { GradientClipper, Loss, Metric, ModelGraph, Optimizer, Schedule, StopRule } from './contracts.js';
import type { PrepareDataConfig } from './data/prepare.js';
import type { DataTableSource } from './data/table.js';
import type { BuiltModel } from './model.js';

export interface TrainingPlan {
  /** The spec's name (its file name without extension), used for the default output folder. */
  name: string;
  /** SHA-256 of the spec source. */
  specHash: string;
  /** The spec source, kept in the run's outputs and report. */
  specSource: string;
  /** The spec's model graph (the report names each layer's mlspec kind from it); null in a compiled program. */
  graph: ModelGraph | null;
  /** Builds the model with initializers seeded from `seed` (the same seed gives the same weights). */
  buildModel(seed: number): BuiltModel;
  /** A compiled program's own file: its SHA-256 is recorded as the run's program_hash. Absent for `mlspec run`. */
  programFile?: string;
  /** Where the data comes from (its config is data.source). */
  source: DataTableSource;
  data: PrepareDataConfig;
  /** Folder that relative data paths are resolved against. */
  dataBaseDir: string;
  loss: Loss;
  optimizer: Optimizer;
  /** The optimizer's base learning rate; the schedule scales it. */
  learningRate: number;
  clip: GradientClipper | null;
  schedule: Schedule;
  metrics: Metric[];
  stop: StopRule;
  epochs: number;
  batch: number | 'full';
  shuffle: boolean;
  seed: number;
  /** Checkpoint at the end of every N epochs (0: never). */
  checkpointEvery: number;
  /** Checkpoint within an epoch once this many seconds passed since the last checkpoint (0: never). */
  checkpointSeconds: number;
  /**
   * Digests of each part of the spec that must not change when a run is resumed (src/lower), the
   * same the PyTorch target writes, so checkpoints cross between the two. What the run's objects
   * are (an edited compiled program) is compared besides (run-description.ts).
   */
  fingerprint: Record<string, string>;
  /**
   * A compiled program's digests of its own parts as it was compiled (run-description.ts
   * programDigests): its runs tell from them which parts were edited since. Absent for `mlspec run`.
   */
  compiled?: Record<string, string>;
}
