/**
 * Streamed CSV data (docs/semantics.md, "Streamed data"): a file of any size, never held whole.
 *
 * Pass 1, before training: every row is read once, assigned to a split by its line
 * (stream-split.ts), and the training rows' statistics are accumulated (stream-stats.ts); the
 * validation and test rows, and the first STREAM_TRAIN_SAMPLE_ROWS training rows (for training
 * metrics), are kept as tensors. Then every epoch reads the file again, keeps the training rows,
 * fills and normalises them with the pass-1 statistics, and sends them through a seeded shuffle
 * buffer (shuffle-buffer.ts) into batches.
 *
 * Memory: about shuffle_buffer x (8 x features + 100) bytes for the buffer, plus one read piece
 * (1 MiB) and one chunk of CSV_STREAM_CHUNK_RECORDS records, plus the rows kept as tensors.
 */
import * as tf from '@tensorflow/tfjs';
import type { Normalization, Split } from '../contracts.js';
import type { TrainBatch, TrainBatchSource } from '../batch-source.js';
import { createRng, deriveSeed } from '../rng.js';
import type { DataCsvConfig, DataPipelineConfig, PrepareDataOptions } from './config.js';
import { csvResolvePath } from './csv-read.js';
import { csvDialectOf, csvDialectProblem } from './csv-dialect.js';
import { csvStreamHasher, csvStreamRecords, type CsvStreamChunk } from './csv-stream-records.js';
import { buildCsvTable, type CsvDataTable } from './csv-table.js';
import { DataError } from './errors.js';
import { dataClassNames } from './labels.js';
import { dataCheckOptions, dataSampleShape } from './pipeline-checks.js';
import type { PreparedDataset } from './prepare-dataset.js';
import { ShuffleBuffer } from './shuffle-buffer.js';
import { streamRowPart, streamSplitSeed } from './stream-split.js';
import { StreamColumnStats } from './stream-stats.js';
import type { DataLabels, DataTable } from './table.js';
import { dataFeatureTensor, dataLabelTensor, type DataLabelLayout } from './tensors.js';

/** Training rows kept in memory to compute training metrics on (the first ones of the file). */
export const STREAM_TRAIN_SAMPLE_ROWS = 10_000;
/** Rows of the shuffle buffer when `shuffle_buffer` is not given. */
export const STREAM_DEFAULT_SHUFFLE_BUFFER = 10_000;

/** PreparedDataset of streamed data: `train` holds the training-metrics sample; the loop reads `trainStream`. */
export interface StreamedDataset extends PreparedDataset {
  trainStream: TrainBatchSource;
  /** Rows of each split, counted in pass 1. */
  streamCounts: { train: number; validation: number; test: number };
}

/** A kept row: its features as read (NaN for an empty cell) and its label (class name or value). */
interface StreamKeptRow {
  x: number[];
  label: string | number;
}

/** One chunk of records as a table (labels mapped with `classes`, when known); null when every row was dropped. */
export function streamChunkTable(chunk: CsvStreamChunk, file: string, config: DataCsvConfig, classes: string[] | null): CsvDataTable | null {
  if (chunk.rows.length === 0) return null;
  try {
    return buildCsvTable(
      { file, header: chunk.header, headerLine: chunk.headerLine, rows: chunk.rows, hash: '' },
      { label: config.label, labelRequired: true, features: config.features, categorical: config.categorical, missing: config.missing, classes },
    );
  } catch (error) {
    // `missing: drop` emptied this chunk; whether the whole file is empty is decided at the end.
    if (error instanceof DataError && error.code === 'E0520') return null;
    throw error;
  }
}

function streamLabelOf(labels: DataLabels, i: number): string | number {
  if (labels.kind === 'values') return labels.values[i]![0]!;
  if (labels.kind === 'classes') return labels.names === null ? labels.indices[i]! : labels.names[labels.indices[i]!]!;
  throw new Error('token labels do not come from a CSV file');
}

/** Fills empty cells and normalises one row, as applyMissingFill and applyNormalization do. */
function streamPrepareRow(x: ArrayLike<number>, fill: readonly number[] | null, normalization: Normalization, out: Float32Array, at: number): void {
  const { shift, scale } = normalization;
  const scaled = normalization.kind !== 'none';
  for (let j = 0; j < x.length; j++) {
    let value = x[j]!;
    if (fill !== null && Number.isNaN(value)) value = fill[j]!;
    out[at + j] = scaled ? (value - shift[j]!) / scale[j]! : value;
  }
}

/** Reads a CSV file in two or more passes instead of at once; throws DataError. */
export async function prepareStreamedCsv(config: DataCsvConfig, pipeline: DataPipelineConfig, options: PrepareDataOptions & { shuffleBuffer?: number }): Promise<StreamedDataset> {
  if (config.path === null) {
    throw new DataError('E0560', 'Streamed data (`stream: true`) reads one file given as `path`; split files (`train:`, `validation:`, `test:`) are read in memory, so remove `stream: true`.', null, null, null, 'stream');
  }
  const file = csvResolvePath(config.path, options.baseDir);
  const dialect = csvDialectOf(config);
  const dialectProblem = csvDialectProblem(dialect);
  if (dialectProblem) throw new DataError('E0532', dialectProblem.message, file, null, null, dialectProblem.option);
  const seed = pipeline.seed ?? options.seed;
  const splitSeed = streamSplitSeed(seed);
  const capacity = options.shuffleBuffer ?? config.shuffle_buffer ?? STREAM_DEFAULT_SHUFFLE_BUFFER;

  // Pass 1: split, statistics, class names, kept rows, hash.
  const hasher = csvStreamHasher();
  let stats: StreamColumnStats | null = null;
  let featureNames: string[] = [];
  const classNames = new Set<string>();
  const kept: Record<'sample' | 'validation' | 'test', StreamKeptRow[]> = { sample: [], validation: [], test: [] };
  const counts = { train: 0, validation: 0, test: 0 };
  const emptyColumns = new Set<number>();
  for await (const chunk of csvStreamRecords(file, dialect, hasher.update)) {
    const table = streamChunkTable(chunk, file, config, null);
    if (table === null) continue;
    featureNames = table.featureNames;
    stats ??= new StreamColumnStats(featureNames.length);
    const labels = table.labels!;
    if (labels.kind === 'classes' && labels.names) for (const name of labels.names) classNames.add(name);
    for (let i = 0; i < table.features.length; i++) {
      const x = table.features[i]!;
      const line = table.rowLines![i]!;
      if (table.hasMissing) x.forEach((value, j) => Number.isNaN(value) && emptyColumns.add(j));
      const part = streamRowPart(splitSeed, line, pipeline.split);
      const name = part === 0 ? 'sample' : part === 1 ? 'validation' : 'test';
      if (part === 0) {
        counts.train += 1;
        stats.add(x);
        if (kept.sample.length >= STREAM_TRAIN_SAMPLE_ROWS) continue;
      } else {
        counts[name as 'validation' | 'test'] += 1;
      }
      kept[name].push({ x, label: streamLabelOf(labels, i) });
    }
  }
  const total = counts.train + counts.validation + counts.test;
  if (stats === null || total === 0) {
    throw new DataError('E0520', `Every data row of \`${file}\` has an empty cell, so \`missing: drop\` leaves no rows; fill the cells in, or use \`missing: zero\` or \`missing: mean\`.`, file, null, null, 'missing');
  }
  const origin = `\`${file}\``;
  if (counts.train === 0) {
    throw new DataError('E0522', `The split leaves no training rows out of the ${total} rows of ${origin} (validation ${counts.validation}, test ${counts.test}); lower \`validation\` or \`test\` in \`split\`.`, null, null, null, 'split');
  }
  const columnStats = stats;
  let missingFill: number[] | null = null;
  if (emptyColumns.size > 0) {
    missingFill = columnStats.fill().map((value, j) => {
      if (value !== null) return value;
      if (!emptyColumns.has(j)) return 0;
      throw new DataError('E0525', `Column \`${featureNames[j]}\` of ${origin} has no values in the training split, so \`missing: mean\` cannot fill its empty cells; fill some cells in, or use \`missing: zero\`.`, null, null, null, 'missing');
    });
  }
  const normalization = columnStats.normalization(pipeline.normalize);
  const classes = config.categorical ? dataClassNames([...classNames]) : null;
  const classIndex = new Map((classes ?? []).map((name, i) => [name, i]));
  const labelsOf = (values: readonly (string | number)[]): DataLabels =>
    classes === null
      ? { kind: 'values', values: values.map((v) => [v as number]) }
      : { kind: 'classes', indices: values.map((v) => classIndex.get(v as string)!), count: classes.length, names: classes };

  // The kept rows as a table, for the option checks and the tensors.
  const keptRows = [...kept.sample, ...kept.validation, ...kept.test];
  const keptTable: DataTable = {
    features: keptRows.map((row) => row.x),
    featureNames,
    hasMissing: missingFill !== null,
    sampleShape: [featureNames.length],
    dtype: 'float32',
    labels: labelsOf(keptRows.map((row) => row.label)),
    labelName: config.label,
    hash: '',
    origin,
    rowLines: null,
  };
  dataCheckOptions({ ...pipeline, split: { ...pipeline.split, stratify: false } }, keptTable);
  const sampleShape = dataSampleShape(pipeline.reshape, keptTable);
  const layout: DataLabelLayout = { one_hot: pipeline.one_hot, binary_labels: pipeline.binary_labels === true };
  const width = featureNames.length;
  const toSplit = (rows: StreamKeptRow[]): Split => {
    const flat = new Float32Array(rows.length * width);
    rows.forEach((row, i) => streamPrepareRow(row.x, missingFill, normalization, flat, i * width));
    const all = rows.map((_, i) => i);
    return { x: tf.tensor(flat, [rows.length, ...sampleShape], 'float32'), y: dataLabelTensor(labelsOf(rows.map((row) => row.label)), all, layout) };
  };

  /** Every later pass: the training rows, prepared, in file order, a chunk at a time. */
  async function* trainRows(epoch: number): AsyncGenerator<StreamKeptRow[]> {
    let seen = 0;
    for await (const chunk of csvStreamRecords(file, dialect)) {
      const table = streamChunkTable(chunk, file, config, classes);
      if (table === null) continue;
      const rows: StreamKeptRow[] = [];
      const labels = table.labels!;
      for (let i = 0; i < table.features.length; i++) {
        if (streamRowPart(splitSeed, table.rowLines![i]!, pipeline.split) !== 0) continue;
        rows.push({ x: table.features[i]!, label: labels.kind === 'classes' ? labels.indices[i]! : streamLabelOf(labels, i) });
      }
      seen += rows.length;
      if (seen > counts.train) break;
      yield rows;
    }
    if (seen !== counts.train) {
      throw new DataError('E0561', `\`${file}\` changed during the run: epoch ${epoch + 1} read ${seen} training rows where the first pass read ${counts.train}; leave the file unchanged while it trains.`, file, null, null, 'path');
    }
  }

  const batchOf = (rows: readonly StreamKeptRow[]): TrainBatch => {
    const flat = new Float32Array(rows.length * width);
    rows.forEach((row, i) => streamPrepareRow(row.x, missingFill, normalization, flat, i * width));
    const labels: DataLabels =
      classes === null
        ? { kind: 'values', values: rows.map((row) => [row.label as number]) }
        : { kind: 'classes', indices: rows.map((row) => row.label as number), count: classes.length, names: classes };
    const x = tf.tensor(flat, [rows.length, ...sampleShape], 'float32');
    const y = dataLabelTensor(labels, rows.map((_, i) => i), layout);
    return { x, y, release: () => tf.dispose([x, y]) };
  };

  const trainStream: TrainBatchSource = {
    rows: counts.train,
    epoch: async function* (epoch, batchSize, fromBatch) {
      const buffer = pipeline.shuffle ? new ShuffleBuffer<StreamKeptRow>(capacity, createRng(deriveSeed(seed, 'shuffle', epoch))) : null;
      let pending: StreamKeptRow[] = [];
      let batch = 0;
      // A resumed epoch skips the batches it had trained (their rows are read, not turned into tensors).
      const emit = function* (final: boolean): Generator<TrainBatch> {
        let at = 0;
        while (pending.length - at >= batchSize || (final && pending.length > at)) {
          const rows = pending.slice(at, at + batchSize);
          at += rows.length;
          batch += 1;
          if (batch > fromBatch) yield batchOf(rows);
        }
        pending = pending.slice(at);
      };
      for await (const rows of trainRows(epoch)) {
        if (buffer === null) pending.push(...rows);
        else for (const row of rows) buffer.offer(row, pending);
        yield* emit(false);
      }
      buffer?.drain(pending);
      yield* emit(true);
    },
  };

  return {
    train: toSplit(kept.sample),
    validation: kept.validation.length > 0 ? toSplit(kept.validation) : null,
    test: kept.test.length > 0 ? toSplit(kept.test) : null,
    labels: classes,
    featureNames: [...featureNames],
    normalization,
    hash: hasher.hex(),
    missingFill,
    // Rows are not listed for streamed data (split.json is not written): the split is the rule of stream-split.ts.
    splitRows: { train: [], validation: [], test: [] },
    rowCount: total,
    rowLines: null,
    dataSeed: seed,
    splitFiles: null,
    trainStream,
    streamCounts: counts,
  };
}
