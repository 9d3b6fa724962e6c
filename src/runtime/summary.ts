/**
 * summary.json: what a run reports when it ends. Written by program.ts, shown by the report.
 */
import type { ProgramDescription } from './run-description.js';
import type { EpochMetrics } from './train.js';
import type { GpuAdapterReport } from './webgpu.js';

/** The contents of a run's summary.json. */
export interface RunSummary {
  spec: string;
  spec_hash: string;
  data_hash: string;
  seed: number;
  backend: string;
  /** The GPU adapter of a webgpu run (vendor, architecture, description; fallback for a software one). */
  adapter?: GpuAdapterReport;
  epochs_run: number;
  steps: number;
  stopped_early: boolean;
  restored_best_epoch: number | null;
  wall_time_s: number;
  /**
   * Training samples per second spent in the training loop (steps, end-of-epoch evaluation and
   * periodic checkpoints; not start-up, data preparation or the final outputs), this session only.
   */
  samples_per_s: number;
  /** Seconds in the training loop, this session only (what samples_per_s divides by). */
  training_s: number;
  /** Checkpoints written inside the training loop this session (periodic and Ctrl-C; not the final one) and the seconds they took. */
  checkpoints: { count: number; seconds: number };
  /** What ran, read from the model and the objects it trained with (run-description.ts). */
  program: ProgramDescription;
  /** A compiled program's parts edited since it was compiled ([] when none); absent for `mlspec run`. */
  edited?: string[];
  train: EpochMetrics;
  validation: EpochMetrics | null;
  test: EpochMetrics | null;
  out: string;
}
