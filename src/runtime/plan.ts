/**
 * A training plan: everything a run needs, already built from a spec. `mlspec run` builds it
 * from the IR (src/lower + src/interpret); a compiled program builds it with literal factory
 * calls. Both hand it to runTraining (program.ts), so both run exactly the same code.
 */
import type { GradientClipper, Loss, Metric, ModelGraph, Optimizer, Schedule, StopRule } from './contracts.js';
import type { PrepareDataConfig } from './data/prepare.js';
import type { DataTableSource } from './data/table.js';
import type { GraphLayerFactory } from './layers/graph-layers.js';

export interface TrainingPlan {
  /** The spec's name (its file name without extension), used for the default output folder. */
  name: string;
  /** SHA-256 of the spec source. */
  specHash: string;
  /** The spec source, kept in the run's outputs and report. */
  specSource: string;
  graph: ModelGraph;
  /** Layer factories by kind: only the kinds the model uses. */
  layers: Readonly<Record<string, GraphLayerFactory>>;
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
   * Canonical JSON of each part of the spec that must not change when a run is resumed
   * (model, data, loss, optimizer, clip, schedule, batch). Settings left out may change.
   */
  fingerprint: Record<string, string>;
}
