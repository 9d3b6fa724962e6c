/**
 * The typed IR: the one contract between the front end (parser, IR builder, checks) and
 * everything behind it (runtime lowering, emitter, plan, report). It is plain JSON-serialisable
 * data; every node carries the span of the source it came from, and `spans` maps each option
 * that was written in the source to the span of its value so checks can point at it.
 *
 * Defaults are filled in by the IR builder: an option absent from `spans` took its default.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export interface Node {
  span: Span;
}

/** Spans of the options that the author wrote, keyed by option name. */
export type OptionSpans<T> = Partial<Record<keyof T & string, Span>>;

export interface SpecIR extends Node {
  /** Path of the spec file as given on the command line. */
  file: string;
  model: ModelIR;
  data: DataIR;
  loss: LossIR;
  optimizer: OptimizerIR;
  clip: ClipIR | null;
  schedule: ScheduleIR;
  train: TrainIR;
}

// ---------------------------------------------------------------------------------------------
// Model

export interface ModelIR extends Node {
  /** Nodes in source order; a node only refers to earlier nodes (checked). */
  nodes: LayerNode[];
  /** Names of the input nodes (kind `input`), in source order. */
  inputs: string[];
  /** Names of the output nodes: the `output:` property, else the last node. */
  outputs: string[];
  outputSpans: Span[];
}

export interface InputRef {
  name: string;
  span: Span;
}

export type Activation =
  | 'linear'
  | 'relu'
  | 'sigmoid'
  | 'tanh'
  | 'softmax'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'softplus'
  | 'swish'
  | 'leaky_relu';

export type Initializer =
  | 'glorot_uniform'
  | 'glorot_normal'
  | 'he_uniform'
  | 'he_normal'
  | 'lecun_uniform'
  | 'lecun_normal'
  | 'zeros'
  | 'ones'
  | 'random_normal'
  | 'random_uniform'
  | 'orthogonal';

export type Padding = 'valid' | 'same';

/** Options shared by every layer with weights. */
export interface WeightOptions {
  initializer: Initializer;
  use_bias: boolean;
  /** L1 and L2 penalties on the kernel, added to the loss: l1*sum|w| + l2*sum(w^2). */
  l1: number;
  l2: number;
}

export interface LayerConfigs {
  /** `from`: the CSV columns the input reads (several inputs: each its own); null: all features. */
  input: { shape: number[]; dtype: 'float32' | 'int32'; from: string[] | null; normalize: 'none' | 'zscore' | 'minmax' | null; missing: 'error' | 'drop' | 'zero' | 'mean' | null };
  dense: { units: number; activation: Activation } & WeightOptions;
  activation: { fn: Activation };
  dropout: { rate: number };
  flatten: Record<string, never>;
  reshape: { shape: number[] };
  batch_norm: { momentum: number; epsilon: number };
  layer_norm: { epsilon: number };
  conv1d: { filters: number; kernel: number; stride: number; padding: Padding; activation: Activation } & WeightOptions;
  conv2d: {
    filters: number;
    kernel: number[];
    stride: number[];
    padding: Padding;
    activation: Activation;
  } & WeightOptions;
  max_pool1d: { size: number; stride: number; padding: Padding };
  avg_pool1d: { size: number; stride: number; padding: Padding };
  max_pool2d: { size: number[]; stride: number[]; padding: Padding };
  avg_pool2d: { size: number[]; stride: number[]; padding: Padding };
  global_max_pool1d: Record<string, never>;
  global_avg_pool1d: Record<string, never>;
  global_max_pool2d: Record<string, never>;
  global_avg_pool2d: Record<string, never>;
  embedding: { vocab: number; dim: number; initializer: Initializer };
  lstm: { units: number; return_sequences: boolean; activation: Activation } & WeightOptions;
  gru: { units: number; return_sequences: boolean; activation: Activation } & WeightOptions;
  simple_rnn: { units: number; return_sequences: boolean; activation: Activation } & WeightOptions;
  /** Multi-head self-attention over a [seq, features] input; output has the input's shape. */
  attention: { heads: number; key_dim: number; dropout: number; causal: boolean };
  /** Transformer encoder block: attention + residual + layer norm, feed-forward + residual + layer norm. */
  transformer: { heads: number; key_dim: number; ff: number; dropout: number; causal: boolean; epsilon: number };
  /** Adds a learned position embedding to a [seq, dim] input. */
  positional_embedding: { max_length: number };
  add: Record<string, never>;
  multiply: Record<string, never>;
  concat: { axis: number };
}

export type LayerKind = keyof LayerConfigs;

/** Layers that take several inputs. Every other kind takes exactly one (input takes none). */
export const MERGE_KINDS = ['add', 'multiply', 'concat'] as const satisfies readonly LayerKind[];

export type LayerNodeOf<K extends LayerKind> = Node & {
  kind: K;
  /** The node's name: written (`h = dense(...)`) or generated (`dense_1`, as Keras does). */
  name: string;
  /** True when the author wrote the name. */
  named: boolean;
  inputs: InputRef[];
  config: LayerConfigs[K];
  spans: OptionSpans<LayerConfigs[K]>;
};

/** A node of the model graph, discriminated on `kind`. */
export type LayerNode = { [K in LayerKind]: LayerNodeOf<K> }[LayerKind];

// ---------------------------------------------------------------------------------------------
// Data

export interface RandomSource {
  kind: 'random';
  /** X ~ U[0, 1)^(samples x features); y ~ U[0, 1)^(samples x targets), or class indices when classes > 0. */
  samples: number;
  features: number;
  targets: number;
  classes: number;
}

export interface CsvSource {
  kind: 'csv';
  /** As written in the spec: relative to the spec file's folder; null when split files are given. */
  path: string | null;
  /** Split files instead of `path` (validation and test optional). */
  train: string | null;
  validation: string | null;
  test: string | null;
  label: string;
  /** Feature columns; null means every column but the label. */
  features: string[] | null;
  /** Labels are class names mapped to indices (sorted order, saved with the model). */
  categorical: boolean;
  /** What to do with empty cells. */
  missing: 'error' | 'drop' | 'zero' | 'mean';
  /** CSV dialect: one character each (checked by the data-dialect rule). */
  delimiter: string;
  quote: string;
  /** Lines starting with this character are skipped; null: none. */
  comment: string | null;
  /** False: no header line; `columns` names the columns. */
  header: boolean;
  columns: string[] | null;
  /** Typed feature columns (src/runtime/data/column-types.ts): text categories and two-valued columns; the rest are numeric. */
  category: string[] | null;
  binary: string[] | null;
  /** Stream the file in chunks instead of reading it at once; null: only a file too large to read at once. */
  stream: boolean | null;
  /** Rows of the seeded shuffle buffer of streamed data. */
  shuffle_buffer: number;
}

export interface SequenceSource {
  kind: 'sequence';
  /** Token sequence tasks for sequence models: y is x reversed, sorted or copied, per token. */
  task: 'reverse' | 'sort' | 'copy';
  samples: number;
  length: number;
  vocab: number;
}

export interface SineSource {
  kind: 'sine';
  /** Windows of a noisy sine wave; y is the next value after each window. */
  samples: number;
  window: number;
  noise: number;
  period: number;
}

export interface ImagesSource {
  kind: 'images';
  /** A folder of class-named subfolders of PNG/JPEG files, relative to the spec file's folder. */
  path: string;
  /** [height, width] each image is resized to. */
  size: number[];
  /** 1 (grey) or 3 (RGB); checked by the data-image-options rule. */
  channels: number;
  /** Stream the training images (decoded batch by batch each epoch); null: only a folder too large for memory. */
  stream: boolean | null;
}

export type DataSource = RandomSource | CsvSource | SequenceSource | SineSource | ImagesSource;

export interface SplitIR extends Node {
  train: number;
  validation: number;
  test: number;
  stratify: boolean;
  spans: OptionSpans<{ train: number; validation: number; test: number; stratify: boolean }>;
}

export interface DataIR extends Node {
  source: DataSource & Node & { spans: Record<string, Span> };
  /** Reshape each sample's features, e.g. 64 pixels -> [8, 8, 1]. */
  reshape: number[] | null;
  normalize: 'none' | 'zscore' | 'minmax';
  /** One-hot encode class labels (for categorical cross-entropy). Derived from the loss by the builder. */
  one_hot: boolean;
  split: SplitIR;
  shuffle: boolean;
  /** Seed for splitting and shuffling; null means the run's seed. */
  seed: number | null;
  spans: Record<string, Span>;
}

// ---------------------------------------------------------------------------------------------
// Loss, optimizer, clipping, schedule

export type LossIR = Node &
  (
    | { kind: 'mse' }
    | { kind: 'mae' }
    | { kind: 'huber'; delta: number }
    | { kind: 'binary_cross_entropy'; from_logits: boolean }
    | { kind: 'categorical_cross_entropy'; from_logits: boolean }
    | { kind: 'sparse_categorical_cross_entropy'; from_logits: boolean }
  ) & { spans: Record<string, Span> };

export type OptimizerIR = Node &
  (
    | { kind: 'gd'; lr: number; weight_decay: number }
    | { kind: 'sgd'; lr: number; weight_decay: number }
    /** form average: v <- beta*v + (1-beta)*g; classical: v <- beta*v + g; nesterov: classical with look-ahead. */
    | { kind: 'momentum'; lr: number; beta: number; form: 'average' | 'classical' | 'nesterov'; weight_decay: number }
    | { kind: 'adam'; lr: number; beta1: number; beta2: number; epsilon: number; weight_decay: number }
    | { kind: 'adamw'; lr: number; beta1: number; beta2: number; epsilon: number; weight_decay: number }
    | { kind: 'rmsprop'; lr: number; rho: number; epsilon: number; momentum: number; centered: boolean; weight_decay: number }
    | { kind: 'adagrad'; lr: number; epsilon: number; initial_accumulator: number; weight_decay: number }
  ) & { spans: Record<string, Span> };

export type ClipIR = Node &
  ({ kind: 'value'; limit: number } | { kind: 'norm'; limit: number } | { kind: 'global_norm'; limit: number }) & {
    spans: Record<string, Span>;
  };

export type ScheduleUnit = 'step' | 'epoch';

/** Every schedule gives the learning rate as a function of a counter t in its unit (0-based). */
export type ScheduleIR = Node &
  (
    | { kind: 'constant' }
    /** lr * rate^(t / every), floor(t / every) when staircase. */
    | { kind: 'exponential'; rate: number; every: number; staircase: boolean; unit: ScheduleUnit }
    /** lr * factor^floor(t / every). */
    | { kind: 'step'; factor: number; every: number; unit: ScheduleUnit }
    /** lr * factor^(number of milestones <= t). */
    | { kind: 'multistep'; milestones: number[]; factor: number; unit: ScheduleUnit }
    /** values[i] for boundaries[i-1] <= t < boundaries[i]; values has one more entry than boundaries. */
    | { kind: 'piecewise'; boundaries: number[]; values: number[]; unit: ScheduleUnit }
    /** lr / (1 + rate * t / every), floor(t / every) when staircase. */
    | { kind: 'inverse_time'; rate: number; every: number; staircase: boolean; unit: ScheduleUnit }
    /** (lr - end) * (1 - min(t, steps) / steps)^power + end. */
    | { kind: 'polynomial'; steps: number; end: number; power: number; unit: ScheduleUnit }
    /** min + (lr - min) * (1 + cos(pi * min(t, steps) / steps)) / 2. */
    | { kind: 'cosine'; steps: number; min: number; unit: ScheduleUnit }
    /** lr * (t + 1) / steps for t < steps, then `then` evaluated at t - steps. */
    | { kind: 'warmup'; steps: number; then: ScheduleIR; unit: ScheduleUnit }
    /** Multiply the rate by factor when monitor has not improved by threshold for patience epochs. */
    | {
        kind: 'plateau';
        monitor: string;
        mode: 'min' | 'max';
        factor: number;
        patience: number;
        cooldown: number;
        min: number;
        threshold: number;
      }
  ) & { spans: Record<string, Span> };

// ---------------------------------------------------------------------------------------------
// The run

export type StopIR = Node &
  (
    | { kind: 'epochs' }
    /** Stop when |monitor change| < tolerance for patience consecutive epochs. */
    | { kind: 'converged'; monitor: string; tolerance: number; patience: number }
    /** Stop when monitor has not improved by min_delta for patience epochs; optionally restore the best weights. */
    | { kind: 'early'; monitor: string; mode: 'min' | 'max'; patience: number; min_delta: number; restore_best: boolean }
  ) & { spans: Record<string, Span> };

export type MetricName = 'loss' | 'accuracy' | 'mae' | 'mse' | 'rmse' | 'r2' | 'precision' | 'recall' | 'f1';

export interface TrainIR extends Node {
  epochs: number;
  /** Mini-batch size, or 'full' for the whole training split in one batch. */
  batch: number | 'full';
  seed: number;
  metrics: MetricName[];
  stop: StopIR;
  /** Write a checkpoint at the end of every N epochs; 0 turns epoch checkpoints off (Ctrl-C and the end of the run still write one). */
  checkpoint_every: number;
  /** Within an epoch, checkpoint at a step boundary once this many seconds passed since the last checkpoint; 0 turns it off. */
  checkpoint_seconds: number;
  spans: Record<string, Span>;
}
