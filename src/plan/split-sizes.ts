/**
 * How many rows each split of a spec's data gets, computed the way a run computes them: the data
 * source is loaded (the CSV file read, or the generator run) and split with the runtime's own
 * splitDataRows, stratified by class when the spec says so. No tensors are made.
 */
import type { DataPipelineConfig } from '../runtime/data/config.js';
import { dataCheckOptions } from '../runtime/data/pipeline-checks.js';
import { splitDataRows } from '../runtime/data/split.js';
import type { DataTableSource } from '../runtime/data/table.js';

export interface SplitSizes {
  /** Rows after `missing: drop`. */
  rows: number;
  train: number;
  validation: number;
  test: number;
  /** Where the data comes from, for the user (e.g. the CSV path). */
  origin: string;
  /** Number of classes of a classification label, or null. */
  classes: number | null;
}

/** Loads the data and splits it as a run with `seed` would; throws the runtime's DataError. */
export function splitSizes(source: DataTableSource, config: DataPipelineConfig, options: { baseDir: string; seed: number }): SplitSizes {
  const seed = config.seed ?? options.seed;
  const table = source.load({ baseDir: options.baseDir, seed });
  dataCheckOptions(config, table);
  const n = table.features.length;
  const strata = table.labels.kind === 'classes' ? table.labels.indices : null;
  const rows = splitDataRows(n, config.split, { shuffle: config.shuffle, seed, strata });
  return {
    rows: n,
    train: rows.train.length,
    validation: rows.validation.length,
    test: rows.test.length,
    origin: table.origin,
    classes: table.labels.kind === 'values' ? null : table.labels.count,
  };
}
