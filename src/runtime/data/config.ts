/**
 * The data section as plain JSON: the options of DataIR (src/ir/types.ts) without spans, so the
 * emitter can print it as a literal. Option names match the IR and the language.
 */

export interface DataRandomConfig {
  kind: 'random';
  samples: number;
  features: number;
  targets: number;
  /** 0: y holds `targets` real values per row; > 0: y holds one class index in [0, classes). */
  classes: number;
}

export interface DataCsvConfig {
  kind: 'csv';
  /** Relative to `baseDir` (the spec's folder; a compiled program's own folder), or absolute; null with split files. */
  path: string | null;
  /** Split files instead of `path` (csv-split-files.ts); absent in older configs. */
  train?: string | null;
  validation?: string | null;
  test?: string | null;
  label: string;
  /** Feature columns in this order; null means every column but the label, in file order. */
  features: string[] | null;
  categorical: boolean;
  missing: 'error' | 'drop' | 'zero' | 'mean';
  /** CSV dialect (csv-dialect.ts); absent in configs written before these options: the defaults. */
  delimiter?: string;
  quote?: string;
  comment?: string | null;
  header?: boolean;
  columns?: string[] | null;
  /** Typed columns (column-types.ts); absent when not written. */
  category?: string[];
  binary?: string[];
  /** The model's inputs that read columns, in model input order; absent for specs without typed columns or `input(from: ...)`. */
  inputs?: DataInputColumns[];
  /** Stream the file instead of reading it at once (csv-stream-dataset.ts); null or absent: only a file too large to read at once (csv-stream-choice.ts). */
  stream?: boolean | null;
  /** Rows of the shuffle buffer of streamed data; absent: STREAM_DEFAULT_SHUFFLE_BUFFER. */
  shuffle_buffer?: number;
}

/** One model input and the columns it reads (`input(from: [...])`); `from` is empty for the one input of a spec without `from`. */
export interface DataInputColumns {
  name: string;
  from: string[];
  dtype: 'float32' | 'int32';
  /** Values per sample the input takes (the product of its shape). */
  width: number;
  /** `input(normalize: ...)`: scaling of this input's numeric columns instead of the data section's; absent when not written. */
  normalize?: 'none' | 'zscore' | 'minmax';
  /** `input(missing: ...)`: the empty-cell rule of this input's columns instead of the source's; absent when not written. */
  missing?: 'error' | 'drop' | 'zero' | 'mean';
}

/** What the typed-column encoding needs from the source config. */
export interface DataTypedColumns {
  missing: 'error' | 'drop' | 'zero' | 'mean';
  category: string[];
  binary: string[];
  inputs: DataInputColumns[];
}

export interface DataSequenceConfig {
  kind: 'sequence';
  task: 'reverse' | 'sort' | 'copy';
  samples: number;
  length: number;
  vocab: number;
}

export interface DataSineConfig {
  kind: 'sine';
  samples: number;
  window: number;
  noise: number;
  period: number;
}

export interface DataImagesConfig {
  kind: 'images';
  /** A folder with one subfolder of PNG/JPEG files per class; relative to `baseDir`, or absolute. */
  path: string;
  /** [height, width] every image is resized to. */
  size: number[];
  /** 1 (grey) or 3 (RGB). */
  channels: number;
  /** Decode the training images batch by batch every epoch (images-stream-dataset.ts); null or absent: only a folder too large for memory. */
  stream?: boolean | null;
}

export type DataSourceConfig = DataRandomConfig | DataCsvConfig | DataSequenceConfig | DataSineConfig | DataImagesConfig;

export interface DataSplitConfig {
  train: number;
  validation: number;
  test: number;
  stratify: boolean;
}

/** Everything prepareDataset needs besides the source. */
export interface DataPipelineConfig {
  reshape: number[] | null;
  normalize: 'none' | 'zscore' | 'minmax';
  one_hot: boolean;
  /**
   * Class labels as float32 [n, 1] holding 0 or 1, for binary cross-entropy (the lowering sets it
   * when the loss is binary_cross_entropy). Without it (and without one_hot), class labels are
   * sparse: int32 [n]. Not part of DataIR: derived from the loss like one_hot.
   */
  binary_labels?: boolean;
  split: DataSplitConfig;
  shuffle: boolean;
  /** Seed for generated data and the split; null means the run's seed. */
  seed: number | null;
}

export interface PrepareDataConfig extends DataPipelineConfig {
  source: DataSourceConfig;
}

/** Where and with what seed data is prepared. */
export interface PrepareDataOptions {
  /** The spec file's folder: CSV paths are relative to it. */
  baseDir: string;
  /** The run's seed, used when the config's seed is null. */
  seed: number;
  /** Non-fatal findings (e.g. a class missing from the training split), one sentence each. */
  onWarning?: (message: string) => void;
}
