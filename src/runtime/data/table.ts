import type { DataTypedColumns } from './config.js';
import type { DataPipelineConfig, PrepareDataOptions } from './config.js';
import type { StreamedDataset } from './csv-stream-dataset.js';

/**
 * The raw table every data source produces, before the split: one row per sample, features as
 * numbers, labels in one of three layouts.
 */
export type DataLabels =
  /** Real-valued targets, rows x targets (regression). */
  | { kind: 'values'; values: number[][] }
  /** One class index per row, in [0, count). `names` are the class names in index order, or null for plain indices. */
  | { kind: 'classes'; indices: number[]; count: number; names: string[] | null }
  /** One class index per position of a token sequence (rows x length), in [0, count). */
  | { kind: 'tokens'; indices: number[][]; count: number };

export interface DataTable {
  /** rows x columns. NaN marks an empty cell kept for `missing: mean`; it is filled after the split. */
  features: number[][];
  featureNames: string[];
  /** True when some feature cell is NaN (see above). */
  hasMissing: boolean;
  /** The shape of one sample's features when the spec has no `reshape`, e.g. [window, 1] for sine. */
  sampleShape: number[];
  /** int32 for token ids, else float32. */
  dtype: 'float32' | 'int32';
  labels: DataLabels;
  /** Name of the label column (CSV) or a description, for messages. */
  labelName: string;
  /** Hex SHA-256 of the file bytes, or of the generator config and seed. */
  hash: string;
  /** Where the data comes from, for messages: the CSV path in backticks, or e.g. "`random(samples: 5, features: 2)` data". */
  origin: string;
  /** For CSV data: the 1-based line each row starts on; null for generated data. */
  rowLines: number[] | null;
  /** Text of the category and binary feature columns, by feature slot (null for numeric slots); their `features` cells are placeholders. */
  featureTexts?: (string[] | null)[];
  /** Typed columns and the model's inputs (column-types.ts): set when the features must be encoded after the split. */
  typedColumns?: DataTypedColumns;
  /**
   * Split files: the table is the train file's rows, then the validation file's, then the test
   * file's, and these are the counts of each; the split is these ranges (no ratios, no shuffle).
   */
  parts?: { train: number; validation: number; test: number; files: { train: string; validation: string | null; test: string | null }; hashes: { train: string; validation: string | null; test: string | null } };
}

/** A data source: what `csv(...)`, `random(...)`, `sequence(...)` and `sine(...)` lower to. */
export interface DataTableSource {
  readonly kind: string;
  /** Reads or generates the table; throws DataError. */
  load(context: { baseDir: string; seed: number }): DataTable;
  /**
   * Data too large to load: the streamed dataset (csv-stream-dataset.ts, images-stream-dataset.ts) when this source streams,
   * else null (then `load` is used). Only sources that can stream have it, so only their compiled
   * programs carry the streaming code.
   */
  streamed?(pipeline: DataPipelineConfig, options: PrepareDataOptions): Promise<StreamedDataset> | null;
}
