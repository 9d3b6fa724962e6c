/**
 * Split sizes of a streamed image folder (docs/semantics.md, "Streamed data"): the folder is
 * listed and split exactly as a run splits it (the runtime's splitDataRows, stratified by class
 * when the spec says so); no image is decoded.
 */
import type { DataImagesConfig, DataPipelineConfig } from '../runtime/data/config.js';
import { listImageFolder } from '../runtime/data/image-folder.js';
import { imageListingTable } from '../runtime/data/image-listing-table.js';
import { dataCheckOptions } from '../runtime/data/pipeline-checks.js';
import { splitDataRows } from '../runtime/data/split.js';
import type { SplitSizes } from './split-sizes.js';

export function imageSplitSizes(source: DataImagesConfig, config: DataPipelineConfig, options: { baseDir: string; seed: number }): SplitSizes {
  const table = imageListingTable(source, listImageFolder(source.path, options.baseDir));
  dataCheckOptions(config, table);
  const { labels } = table;
  const rows = splitDataRows(labels.indices.length, config.split, { shuffle: config.shuffle, seed: config.seed ?? options.seed, strata: labels.indices });
  return { rows: labels.indices.length, train: rows.train.length, validation: rows.validation.length, test: rows.test.length, origin: table.origin, classes: labels.count };
}
