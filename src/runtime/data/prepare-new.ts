/**
 * New data for a trained model (evaluate, predict): the same reading, label mapping, missing-value
 * filling, normalisation and reshape as in training, but with the saved class names, fill values
 * and normalisation instead of ones fitted on this data, and without a split.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Normalization } from '../contracts.js';
import type { PrepareDataConfig, PrepareDataOptions } from './config.js';
import { readCsvTable } from './csv-read.js';
import { csvDialectOf } from './csv-dialect.js';
import { buildCsvTable, type CsvDataTable } from './csv-table.js';
import { DataError } from './errors.js';
import { applyMissingFill, fitMissingFill } from './missing.js';
import { applyNormalization } from './normalize.js';
import { dataSampleShape } from './pipeline-checks.js';
import { loadNewImages } from './images-new.js';
import { dataSourceFor } from './prepare.js';
import type { DataColumnEncoding } from './column-types.js';
import { csvMissingByColumnOf, csvTextColumnsOf, csvTypedColumnsOf } from './csv-typed.js';
import { dataEncodeSaved } from './prepare-typed.js';
import { csvResolveSelectors } from './csv-selectors.js';
import { dataFeatureTensor, dataLabelTensor } from './tensors.js';

/** What training saved about the data (PreparedDataset fields). */
export interface SavedDataState {
  /** Class names in index order, or null. */
  labels: string[] | null;
  normalization: Normalization;
  /** Feature columns the model was trained on; when given, CSV columns are picked by these names. */
  featureNames?: string[];
  /** `missing: mean` fill values from training; when absent, means of the new data are used. */
  missingFill?: number[] | null;
  /** Typed columns: the encodings fitted in training (column-types.ts); absent for runs without them. */
  columns?: DataColumnEncoding[] | null;
}

export interface PreparedNewData {
  x: tf.Tensor;
  /** Labels when the data has them (a CSV file without the label column gives null). */
  y: tf.Tensor | null;
  featureNames: string[];
  /** For CSV data: the line of each row of x (rows dropped by `missing: drop` are absent). */
  rowLines: number[] | null;
  /** For image data: the file of each row of x (relative to the folder given); null otherwise. */
  rowNames?: string[] | null;
  hash: string;
}

function dataNewTable(config: PrepareDataConfig, options: PrepareDataOptions, saved: SavedDataState, readLabel: boolean): CsvDataTable & { rowNames?: string[] } {
  const seed = config.seed ?? options.seed;
  // An image file, a folder of images, or class subfolders like the training folder.
  if (config.source.kind === 'images') return loadNewImages(config.source, config.source.path, options.baseDir, saved.labels, readLabel);
  if (config.source.kind !== 'csv') return dataSourceFor(config.source).load({ baseDir: options.baseDir, seed });
  const raw = readCsvTable(config.source.path ?? config.source.train!, options.baseDir, csvDialectOf(config.source));
  const source = csvResolveSelectors(config.source, raw.header);
  const typed = csvTypedColumnsOf(source);
  const table = buildCsvTable(raw, {
    label: source.label,
    labelRequired: false,
    features: saved.featureNames ?? source.features,
    categorical: source.categorical,
    missing: source.missing,
    classes: source.categorical ? saved.labels : null,
    readLabel,
    missingByColumn: csvMissingByColumnOf(source),
    textColumns: csvTextColumnsOf(source),
  });
  if (!typed) return table;
  // The encoding reads features only; the labels (null without a label column) pass through.
  const encoded = dataEncodeSaved({ ...table, labels: { kind: 'values', values: [] }, typedColumns: typed }, saved.columns);
  return { ...encoded, labels: table.labels };
}

/**
 * Prepares all rows of the data `config` describes (for a new CSV file, or an image file or folder,
 * pass the config with its `source.path` replaced) for a model trained with `saved`; throws DataError.
 */
export function prepareNewData(
  config: PrepareDataConfig,
  options: PrepareDataOptions,
  saved: SavedDataState,
  /** False for predict: a CSV label column is ignored (not read, not checked), and y is null. */
  readLabel = true,
): PreparedNewData {
  const table = dataNewTable(config, options, saved, readLabel);
  const columns = table.featureNames.length;
  if (saved.normalization.shift.length !== columns) {
    throw new DataError(
      'E0528',
      `${table.origin} has ${columns} feature columns but the model was trained on ${saved.normalization.shift.length}; use data with the training data's columns.`,
      null,
      null,
      null,
      'features',
    );
  }
  const sampleShape = dataSampleShape(config.reshape, table);
  let features = table.features;
  if (table.hasMissing) {
    const fill = saved.missingFill ?? fitMissingFill(features, columns).map((value) => value ?? 0);
    features = applyMissingFill(features, fill);
  }
  features = applyNormalization(features, saved.normalization);
  const rows = features.map((_, i) => i);
  return {
    x: dataFeatureTensor(features, rows, sampleShape, table.dtype),
    y: table.labels ? dataLabelTensor(table.labels, rows, { one_hot: config.one_hot, binary_labels: config.binary_labels === true }) : null,
    featureNames: [...table.featureNames],
    rowLines: table.rowLines,
    rowNames: table.rowNames ?? null,
    hash: table.hash,
  };
}
