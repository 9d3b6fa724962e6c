import { createRng, deriveSeed } from '../rng.js';
import type { DataSineConfig } from './config.js';
import { dataIsPositiveInteger, dataRequireGeneratedSize, dataRequireOption } from './generator-options.js';
import { dataGeneratorHash } from './hash.js';
import type { DataTable, DataTableSource } from './table.js';

/**
 * `sine(samples, window, noise, period)`: the series s_t = sin(2 pi t / period) + noise * N(0, 1)
 * for t = 0 .. samples + window - 1, the normal draws taken in order of t from
 * createRng(deriveSeed(seed, 'data', 'sine')). Sample i: x = s[i .. i + window) shaped
 * [window, 1], y = [s[i + window]].
 */
export function sineDataSource(config: DataSineConfig): DataTableSource {
  return {
    kind: 'sine',
    load: ({ seed }): DataTable => {
      const { samples, window, noise, period } = config;
      dataRequireOption(dataIsPositiveInteger(samples), 'sine', 'samples', samples, 'a positive integer');
      dataRequireOption(dataIsPositiveInteger(window), 'sine', 'window', window, 'a positive integer');
      dataRequireOption(Number.isFinite(period) && period > 0, 'sine', 'period', period, 'a positive number');
      dataRequireOption(Number.isFinite(noise) && noise >= 0, 'sine', 'noise', noise, 'zero or a positive number');
      dataRequireGeneratedSize('sine', `samples: ${samples}, window: ${window}`, samples * (window + 1) + window);

      const rng = createRng(deriveSeed(seed, 'data', 'sine'));
      const series = Array.from({ length: samples + window }, (_, t) => Math.sin((2 * Math.PI * t) / period) + noise * rng.normal());
      return {
        features: Array.from({ length: samples }, (_, i) => series.slice(i, i + window)),
        featureNames: Array.from({ length: window }, (_, j) => `s${j + 1}`),
        hasMissing: false,
        sampleShape: [window, 1],
        dtype: 'float32',
        labels: { kind: 'values', values: Array.from({ length: samples }, (_, i) => [series[i + window]!]) },
        labelName: 'next value',
        hash: dataGeneratorHash(config, seed),
        origin: `\`sine(period: ${period})\` data`,
        rowLines: null,
      };
    },
  };
}
