/**
 * Streamed image folders (docs/semantics.md, "Streamed data"): a folder of any number of images,
 * never decoded whole. Its file list always fits in memory, so it is listed and split exactly as in
 * memory (the same seeded split and stratification, so the same rows in each split); the
 * validation and test images are decoded once and kept, and every epoch decodes the training images
 * batch by batch in the order the in-memory loop visits them (trainEpochOrder: the seeded
 * permutation of the training split). So the batches, and the per-step losses, are those of the
 * same data in memory, bit for bit, and no shuffle buffer is needed.
 *
 * Normalisation statistics take one or two passes over the training images before training
 * (image-stream-stats.ts); training metrics are computed on the first training images (in split
 * order), up to IMAGE_STREAM_SAMPLE_VALUES numbers: all of them for a folder that fits in memory.
 *
 * Memory: batch x height x width x channels x 4 bytes for a batch, plus the kept images (validation,
 * test and the training-metrics sample, 4 bytes a number), plus the file list.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Split } from '../contracts.js';
import type { TrainBatch, TrainBatchSource } from '../batch-source.js';
import { createRng, deriveSeed, permutation } from '../rng.js';
import type { DataImagesConfig, DataPipelineConfig, PrepareDataOptions } from './config.js';
import type { StreamedDataset } from './csv-stream-dataset.js';
import { DataError } from './errors.js';
import { DATA_GENERATOR_MAX_VALUES } from './generator-options.js';
import { listImageFolder } from './image-folder.js';
import { imageListingTable } from './image-listing-table.js';
import { fitNormalizationStreamed } from './image-stream-stats.js';
import { imageFileSample, imageReadFile, imageRequireOptions } from './images-source.js';
import { dataCheckOptions, dataSampleShape } from './pipeline-checks.js';
import { dataWarnAboutSplit } from './prepare-dataset.js';
import { splitDataRows } from './split.js';
import type { DataLabels, DataTable } from './table.js';
import { dataLabelTensor, type DataLabelLayout } from './tensors.js';

/** Numbers of the training images kept for training metrics (the first ones of the training split). */
export const IMAGE_STREAM_SAMPLE_VALUES = DATA_GENERATOR_MAX_VALUES;
/** Numbers of the validation and test images a streamed folder keeps decoded (1 GB as float32). */
export const IMAGE_STREAM_KEPT_MAX_VALUES = 250_000_000;

/** E0563's message: the kept validation and test images would not fit. */
export function imageKeptTooMany(kept: number, shown: string, values: number): string {
  return `Streaming \`${shown}\` keeps its ${kept} validation and test images decoded, ${values.toLocaleString('en-US')} numbers, more than the ${IMAGE_STREAM_KEPT_MAX_VALUES.toLocaleString('en-US')} mlspec keeps; lower \`validation\` and \`test\` in \`split\`, or use a smaller size.`;
}

/** Lists and splits the folder as in memory, and decodes only what it keeps; throws DataError. */
export async function prepareStreamedImages(config: DataImagesConfig, pipeline: DataPipelineConfig, options: PrepareDataOptions): Promise<StreamedDataset> {
  imageRequireOptions(config);
  const size: [number, number] = [config.size[0]!, config.size[1]!];
  const channels = config.channels as 1 | 3;
  const width = size[0] * size[1] * channels;
  const listing = listImageFolder(config.path, options.baseDir);
  const folder = path.resolve(options.baseDir, config.path);
  const n = listing.files.length;
  const table = imageListingTable(config, listing);
  const labels = table.labels;
  dataCheckOptions(pipeline, table);
  const sampleShape = dataSampleShape(pipeline.reshape, table);
  const seed = pipeline.seed ?? options.seed;
  const rows = splitDataRows(n, pipeline.split, { shuffle: pipeline.shuffle, seed, strata: labels.indices });
  if (rows.train.length === 0) {
    throw new DataError('E0522', `The split leaves no training rows out of the ${n} rows of ${table.origin} (validation ${rows.validation.length}, test ${rows.test.length}); lower \`validation\` or \`test\` in \`split\`.`, null, null, null, 'split');
  }
  const kept = rows.validation.length + rows.test.length;
  if (kept * width > IMAGE_STREAM_KEPT_MAX_VALUES) throw new DataError('E0563', imageKeptTooMany(kept, config.path, kept * width), null, null, null, 'split');
  if (options.onWarning) dataWarnAboutSplit(table, pipeline, rows, options.onWarning);

  const fileOf = (row: number) => path.join(folder, ...listing.files[row]!.relative.split('/'));
  const shownOf = (row: number) => `${config.path}/${listing.files[row]!.relative}`;
  const pixelsOf = (row: number) => imageFileSample(imageReadFile(fileOf(row), shownOf(row)), fileOf(row), shownOf(row), size, channels);

  // The hash of the in-memory path: every file's name and bytes, in folder order.
  const hash = createHash('sha256');
  for (let row = 0; row < n; row++) hash.update(listing.files[row]!.relative).update('\0').update(imageReadFile(fileOf(row), shownOf(row))).update('\0');

  const normalization = fitNormalizationStreamed(pipeline.normalize, width, function* () {
    for (const row of rows.train) yield pixelsOf(row);
  });
  const { shift, scale } = normalization;
  const scaled = normalization.kind !== 'none';
  const layout: DataLabelLayout = { one_hot: pipeline.one_hot, binary_labels: pipeline.binary_labels === true };
  // Decoded and normalised as prepareDataset does (float64, then float32 in the tensor).
  const tensorsOf = (select: readonly number[]): Split => {
    const flat = new Float32Array(select.length * width);
    select.forEach((row, i) => {
      const pixels = pixelsOf(row);
      const at = i * width;
      for (let j = 0; j < width; j++) flat[at + j] = scaled ? (pixels[j]! - shift[j]!) / scale[j]! : pixels[j]!;
    });
    return { x: tf.tensor(flat, [select.length, ...sampleShape], 'float32'), y: dataLabelTensor(labels, select, layout) };
  };

  const trainRows = rows.train.length;
  const trainStream: TrainBatchSource = {
    rows: trainRows,
    epoch: async function* (epoch, batchSize, fromBatch) {
      // trainEpochOrder's order (train.ts), with the run's seed: the in-memory loop's batches.
      const order = pipeline.shuffle ? permutation(trainRows, createRng(deriveSeed(options.seed, 'shuffle', epoch))) : null;
      for (let start = fromBatch * batchSize; start < trainRows; start += batchSize) {
        const select: number[] = [];
        for (let k = start; k < Math.min(start + batchSize, trainRows); k++) select.push(rows.train[order === null ? k : order[k]!]!);
        const { x, y } = tensorsOf(select);
        yield { x, y, release: () => tf.dispose([x, y]) } satisfies TrainBatch;
      }
    },
  };

  const sampleRows = Math.max(1, Math.min(trainRows, Math.floor(IMAGE_STREAM_SAMPLE_VALUES / width)));
  return {
    train: tensorsOf(rows.train.slice(0, sampleRows)),
    validation: rows.validation.length > 0 ? tensorsOf(rows.validation) : null,
    test: rows.test.length > 0 ? tensorsOf(rows.test) : null,
    labels: [...listing.classes],
    featureNames: [...table.featureNames],
    normalization,
    hash: hash.digest('hex'),
    missingFill: null,
    splitRows: rows,
    rowCount: n,
    rowLines: null,
    dataSeed: seed,
    splitFiles: null,
    trainStream,
    streamCounts: { train: trainRows, validation: rows.validation.length, test: rows.test.length },
  };
}
