/**
 * The data pipeline, whatever the source: load -> check options -> split -> fill missing values
 * (training means) -> normalise (training statistics) -> reshape -> tensors.
 */
import type { Normalization, PreparedData, Split } from '../contracts.js';
import type { DataPipelineConfig, PrepareDataOptions } from './config.js';
import { DataError } from './errors.js';
import { applyMissingFill, fitMissingFill } from './missing.js';
import { applyNormalization, fitNormalization } from './normalize.js';
import { dataCheckOptions, dataSampleShape } from './pipeline-checks.js';
import { splitDataRows, type DataSplitRows } from './split.js';
import { fitTypedNormalization, type DataColumnEncoding } from './column-types.js';
import { dataEncodeTyped, dataTypedPipelineConfig } from './prepare-typed.js';
import type { DataTable, DataTableSource } from './table.js';
import { dataFeatureTensor, dataLabelTensor, type DataLabelLayout } from './tensors.js';

/** PreparedData plus what evaluate/predict need to treat new data the same way. */
export interface PreparedDataset extends PreparedData {
  /** `missing: mean`: the fill value of each feature column (training means); null otherwise. */
  missingFill: number[] | null;
  /** Row indices (into the table after dropped rows) of each split, in tensor order. */
  splitRows: DataSplitRows;
  /** Number of rows the split was taken from. */
  rowCount: number;
  /** For CSV data: the 1-based file line each row (of the table, by index) starts on; null for generated data. */
  rowLines: number[] | null;
  /** The seed the split (and generated data) used: `data.seed`, else the run's. */
  dataSeed: number;
  /** Typed columns (column-types.ts): how each source column was encoded; null without typed columns. */
  columns?: DataColumnEncoding[] | null;
  /** Split files (csv(train: ..., ...)): each split's file and its hash; null otherwise. */
  splitFiles: { files: Record<'train' | 'validation' | 'test', string | null>; hashes: Record<'train' | 'validation' | 'test', string | null> } | null;
}

/** Fits the fill values on the training rows; a column with no training value cannot be filled. */
function dataFitFill(table: DataTable, trainRows: readonly number[]): number[] {
  const fill = fitMissingFill(
    trainRows.map((row) => table.features[row]!),
    table.featureNames.length,
  );
  return fill.map((value, j) => {
    if (value !== null) return value;
    const name = table.featureNames[j]!;
    const empty = table.features.some((row) => Number.isNaN(row[j]!));
    if (!empty) return 0; // nothing to fill in this column anywhere
    throw new DataError(
      'E0525',
      `Column \`${name}\` of ${table.origin} has no values in the training split, so \`missing: mean\` cannot fill its empty cells; fill some cells in, or use \`missing: zero\`.`,
      null,
      null,
      null,
      'missing',
    );
  });
}

export function dataWarnAboutSplit(table: DataTable, config: DataPipelineConfig, rows: DataSplitRows, warn: (message: string) => void): void {
  const n = rows.train.length + rows.validation.length + rows.test.length;
  for (const part of ['validation', 'test'] as const) {
    if (config.split[part] > 0 && rows[part].length === 0) {
      warn(`\`${part}: ${config.split[part]}\` of the ${n} rows of ${table.origin} gives no ${part} rows; use more data or a larger ratio.`);
    }
  }
  const { labels } = table;
  if (labels.kind !== 'classes') return;
  const inTrain = new Set(rows.train.map((row) => labels.indices[row]!));
  for (const part of ['validation', 'test'] as const) {
    const unseen = [...new Set(rows[part].map((row) => labels.indices[row]!))].filter((c) => !inTrain.has(c)).sort((a, b) => a - b);
    for (const index of unseen) {
      const name = labels.names?.[index] ?? String(index);
      warn(
        table.parts
          ? `Class \`${name}\` of \`${table.labelName}\` occurs in the ${part} file but not in the train file, so the model never learns it; add rows of that class to the train file.`
          : `Class \`${name}\` of \`${table.labelName}\` in ${table.origin} occurs in the ${part} split but not in the training split, so the model never learns it; add rows of that class or set \`stratify: true\`.`,
      );
    }
  }
}

/** Loads `source` and prepares it as the data section `config` says; throws DataError. */
export function prepareDataset(source: DataTableSource, config: DataPipelineConfig, options: PrepareDataOptions): PreparedDataset {
  const seed = config.seed ?? options.seed;
  const loaded = source.load({ baseDir: options.baseDir, seed });
  dataCheckOptions(dataTypedPipelineConfig(config, loaded), loaded);
  let table = loaded;

  const n = table.features.length;
  const strata = table.labels.kind === 'classes' ? table.labels.indices : null;
  const { parts } = table;
  const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);
  // Split files: the split is the files (train rows, then validation, then test), in file order.
  const rows = parts
    ? { train: range(0, parts.train), validation: range(parts.train, parts.validation), test: range(parts.train + parts.validation, parts.test) }
    : splitDataRows(n, config.split, { shuffle: config.shuffle, seed, strata });
  if (rows.train.length === 0) {
    throw new DataError(
      'E0522',
      `The split leaves no training rows out of the ${n} rows of ${table.origin} (validation ${rows.validation.length}, test ${rows.test.length}); lower \`validation\` or \`test\` in \`split\`.`,
      null,
      null,
      null,
      'split',
    );
  }
  if (options.onWarning) dataWarnAboutSplit(table, config, rows, options.onWarning);
  const encoded = dataEncodeTyped(loaded, rows.train);
  table = encoded.table;
  const sampleShape = dataSampleShape(config.reshape, table);

  const missingFill = table.hasMissing ? dataFitFill(table, rows.train) : null;
  const filled = missingFill ? applyMissingFill(table.features, missingFill) : table.features;
  const trainFeatures = rows.train.map((row) => filled[row]!);
  const normalization: Normalization = encoded.columns
    ? fitTypedNormalization(config.normalize, trainFeatures, encoded.columns, table.typedColumns!.inputs)
    : fitNormalization(config.normalize, trainFeatures, table.featureNames.length);
  // Typed columns: an input's own `normalize` can scale even when the data section's is none.
  const features = normalization.kind === 'none' ? filled : applyNormalization(filled, normalization);

  const layout: DataLabelLayout = { one_hot: config.one_hot, binary_labels: config.binary_labels === true };
  const toSplit = (select: number[]): Split => ({
    x: dataFeatureTensor(features, select, sampleShape, table.dtype),
    y: dataLabelTensor(table.labels, select, layout),
  });
  return {
    train: toSplit(rows.train),
    validation: rows.validation.length > 0 ? toSplit(rows.validation) : null,
    test: rows.test.length > 0 ? toSplit(rows.test) : null,
    labels: table.labels.kind === 'classes' && table.labels.names !== null ? [...table.labels.names] : null,
    // Typed columns: the source columns (what evaluate and predict read), not the encoded ones.
    featureNames: encoded.columns ? encoded.columns.map((column) => column.name) : [...table.featureNames],
    normalization,
    columns: encoded.columns,
    hash: table.hash,
    missingFill,
    splitRows: rows,
    rowCount: n,
    rowLines: table.rowLines,
    dataSeed: seed,
    splitFiles: parts ? { files: parts.files, hashes: parts.hashes } : null,
  };
}

