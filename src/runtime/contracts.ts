/**
 * Interfaces between the parts of the training runtime. Factories in the other runtime files
 * return these; train.ts consumes them. See README.md in this folder for the rules.
 */
import type * as tf from '@tensorflow/tfjs';

/** JSON-serialisable state, saved in checkpoints. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An optimizer with exact, documented update rules (docs/semantics.md). */
export interface Optimizer {
  readonly name: string;
  /**
   * One update: for each i, variables[i] <- rule(variables[i], gradients[i], lr).
   * Gradients are already clipped. Must not leak tensors; creates its slots lazily on first use.
   */
  apply(variables: readonly tf.Variable[], gradients: readonly tf.Tensor[], lr: number): void;
  /** Number of updates applied so far (Adam's t). */
  readonly iterations: number;
  /** Slot tensors (e.g. Adam's m and v, in a stable order) and the iteration count, for checkpoints. */
  getState(): { iterations: number; slots: tf.Tensor[] };
  setState(state: { iterations: number; slots: tf.Tensor[] }): void;
  dispose(): void;
}

/** Gradient clipping, applied after gradients are computed and before the optimizer. */
export interface GradientClipper {
  /** Returns new tensors; the caller disposes the inputs. */
  clip(gradients: readonly tf.Tensor[]): tf.Tensor[];
}

export interface ScheduleContext {
  /** Optimizer steps taken so far in the whole run (0 for the first step). */
  step: number;
  /** Epochs completed so far (0 during the first epoch). */
  epoch: number;
}

/** A learning-rate schedule. `base` is the optimizer's lr. */
export interface Schedule {
  readonly unit: 'step' | 'epoch';
  learningRate(base: number, at: ScheduleContext): number;
  /** Called after each epoch with that epoch's metrics (e.g. `val_loss`); reduce-on-plateau acts here. */
  endEpoch?(epoch: number, metrics: Readonly<Record<string, number>>): void;
  getState?(): JsonValue;
  setState?(state: JsonValue): void;
}

/** A loss: the mean over the batch of a per-sample loss. */
export interface Loss {
  readonly name: string;
  compute(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar;
}

/**
 * A metric computed over a whole split (predictions of every batch concatenated). Asynchronous
 * because it reads values back from the backend, which a GPU backend can only do asynchronously.
 */
export interface Metric {
  readonly name: string;
  compute(yTrue: tf.Tensor, yPred: tf.Tensor): Promise<number>;
}

export type StopDecision = 'continue' | 'stop';

/** The stopping rule, consulted after each epoch. */
export interface StopRule {
  readonly name: string;
  endEpoch(epoch: number, metrics: Readonly<Record<string, number>>): StopDecision;
  /** Epoch whose weights should be restored at the end, or null. */
  restoreEpoch(): number | null;
  getState(): JsonValue;
  setState(state: JsonValue): void;
}

/** One split of the data as tensors; x may be float32 or int32 (token ids). */
export interface Split {
  x: tf.Tensor;
  y: tf.Tensor;
}

export interface Normalization {
  kind: 'none' | 'zscore' | 'minmax';
  /** Per feature column, from the training split only. zscore: shift = mean, scale = std; minmax: shift = min, scale = max - min. Zero scales are replaced by 1. */
  shift: number[];
  scale: number[];
}

/** What the data pipeline produces. */
export interface PreparedData {
  train: Split;
  validation: Split | null;
  test: Split | null;
  /** Class names in index order for categorical labels, else null. */
  labels: string[] | null;
  featureNames: string[];
  normalization: Normalization;
  /** Hex SHA-256 of the raw data (file bytes, or the generator config), recorded in checkpoints. */
  hash: string;
}

/**
 * A model as plain data, built by buildModel (model.ts). `layer` is an mlspec layer kind
 * (src/ir/types.ts LayerKind) and `config` is that node's IR config, already defaulted.
 */
export interface GraphNode {
  name: string;
  layer: string;
  config: { [key: string]: JsonValue };
  inputs: string[];
}

export interface ModelGraph {
  nodes: GraphNode[];
  inputs: string[];
  outputs: string[];
}
