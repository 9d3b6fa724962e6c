/**
 * prepareData: the whole data section from one JSON config. It refers to every source, so a
 * compiled program that wants only its own source (and no csv-parse for generated data) should call
 * prepareDataset(csvDataSource(...), ...) etc. directly; src/lower/ can choose either.
 */
import type { DataSourceConfig, PrepareDataConfig, PrepareDataOptions } from './config.js';
import { csvDataSource } from './csv-source.js';
import { imagesDataSource } from './images-source.js';
import { prepareDataset, type PreparedDataset } from './prepare-dataset.js';
import { randomDataSource } from './random-source.js';
import { sequenceDataSource } from './sequence-source.js';
import { sineDataSource } from './sine-source.js';
import type { DataTableSource } from './table.js';

export type { PrepareDataConfig, PrepareDataOptions } from './config.js';
export type { PreparedDataset } from './prepare-dataset.js';

export function dataSourceFor(config: DataSourceConfig): DataTableSource {
  switch (config.kind) {
    case 'csv':
      return csvDataSource(config);
    case 'random':
      return randomDataSource(config);
    case 'sequence':
      return sequenceDataSource(config);
    case 'sine':
      return sineDataSource(config);
    case 'images':
      return imagesDataSource(config);
  }
}

/** Reads or generates the data, splits, normalises and makes tensors; throws DataError. */
export function prepareData(config: PrepareDataConfig, options: PrepareDataOptions): PreparedDataset {
  return prepareDataset(dataSourceFor(config.source), config, options);
}
