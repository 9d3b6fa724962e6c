import { createRng, deriveSeed } from '../rng.js';
import type { DataSequenceConfig } from './config.js';
import { dataIsPositiveInteger, dataRequireGeneratedSize, dataRequireOption } from './generator-options.js';
import { dataGeneratorHash } from './hash.js';
import type { DataTable, DataTableSource } from './table.js';

/** The per-token target of a sequence task. */
function sequenceTarget(task: DataSequenceConfig['task'], tokens: readonly number[]): number[] {
  if (task === 'reverse') return [...tokens].reverse();
  if (task === 'sort') return [...tokens].sort((a, b) => a - b);
  return [...tokens];
}

/**
 * `sequence(task, samples, length, vocab)`: x holds `length` tokens drawn uniformly from [0, vocab),
 * row by row, from createRng(deriveSeed(seed, 'data', 'sequence')); y is x reversed (reverse),
 * sorted ascending (sort) or x itself (copy), one class index per token.
 */
export function sequenceDataSource(config: DataSequenceConfig): DataTableSource {
  return {
    kind: 'sequence',
    load: ({ seed }): DataTable => {
      const { task, samples, length, vocab } = config;
      dataRequireOption(dataIsPositiveInteger(samples), 'sequence', 'samples', samples, 'a positive integer');
      dataRequireOption(dataIsPositiveInteger(length), 'sequence', 'length', length, 'a positive integer');
      dataRequireOption(dataIsPositiveInteger(vocab), 'sequence', 'vocab', vocab, 'a positive integer');
      dataRequireGeneratedSize('sequence', `samples: ${samples}, length: ${length}`, 2 * samples * length);

      const rng = createRng(deriveSeed(seed, 'data', 'sequence'));
      const x = Array.from({ length: samples }, () => Array.from({ length }, () => rng.int(vocab)));
      return {
        features: x,
        featureNames: Array.from({ length }, (_, j) => `token${j + 1}`),
        hasMissing: false,
        sampleShape: [length],
        dtype: 'int32',
        labels: { kind: 'tokens', indices: x.map((tokens) => sequenceTarget(task, tokens)), count: vocab },
        labelName: `${task} target`,
        hash: dataGeneratorHash(config, seed),
        origin: `\`sequence(task: ${task})\` data`,
        rowLines: null,
      };
    },
  };
}
