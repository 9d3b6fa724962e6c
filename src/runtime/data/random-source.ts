import { createRng, deriveSeed } from '../rng.js';
import type { DataRandomConfig } from './config.js';
import { dataIsPositiveInteger, dataRequireGeneratedSize, dataRequireOption } from './generator-options.js';
import { dataGeneratorHash } from './hash.js';
import type { DataLabels, DataTable, DataTableSource } from './table.js';

/**
 * `random(samples, features, targets, classes)`: X ~ U[0, 1) drawn row by row, then y drawn row by
 * row from the same generator: `targets` values ~ U[0, 1), or one class index in [0, classes) when
 * classes > 0. The generator is createRng(deriveSeed(seed, 'data', 'random')).
 */
export function randomDataSource(config: DataRandomConfig): DataTableSource {
  return {
    kind: 'random',
    load: ({ seed }): DataTable => {
      const { samples, features, targets, classes } = config;
      dataRequireOption(dataIsPositiveInteger(samples), 'random', 'samples', samples, 'a positive integer');
      dataRequireOption(dataIsPositiveInteger(features), 'random', 'features', features, 'a positive integer');
      dataRequireOption(Number.isInteger(classes) && classes >= 0, 'random', 'classes', classes, 'a whole number (0 for real-valued targets)');
      if (classes === 0) dataRequireOption(dataIsPositiveInteger(targets), 'random', 'targets', targets, 'a positive integer');
      dataRequireGeneratedSize('random', `samples: ${samples}, features: ${features}`, samples * (features + (classes > 0 ? 1 : targets)));

      const rng = createRng(deriveSeed(seed, 'data', 'random'));
      const x = Array.from({ length: samples }, () => Array.from({ length: features }, () => rng.next()));
      const labels: DataLabels =
        classes > 0
          ? { kind: 'classes', indices: Array.from({ length: samples }, () => rng.int(classes)), count: classes, names: null }
          : { kind: 'values', values: Array.from({ length: samples }, () => Array.from({ length: targets }, () => rng.next())) };
      return {
        features: x,
        featureNames: Array.from({ length: features }, (_, j) => `x${j + 1}`),
        hasMissing: false,
        sampleShape: [features],
        dtype: 'float32',
        labels,
        labelName: 'y',
        hash: dataGeneratorHash(config, seed),
        origin: `\`random(samples: ${samples}, features: ${features})\` data`,
        rowLines: null,
      };
    },
  };
}
