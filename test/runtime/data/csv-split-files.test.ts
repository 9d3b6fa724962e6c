/**
 * Split files: csv(train: ..., validation: ..., test: ...). The split is the files, in file
 * order; normalisation statistics come from the train file only; class names from all files.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { PrepareDataConfig } from '../../../src/runtime/data/config.js';
import { prepareData } from '../../../src/runtime/data/prepare.js';
import { csvFixtures, dataErrorOf, fixture } from './helpers.js';

const config = (files: { train: string; validation?: string; test?: string }, normalize: 'none' | 'zscore' = 'zscore'): PrepareDataConfig => ({
  source: { kind: 'csv', path: null, train: files.train, validation: files.validation ?? null, test: files.test ?? null, label: 'label', features: null, categorical: true, missing: 'error' },
  reshape: null,
  normalize,
  one_hot: false,
  split: { train: 1, validation: 0, test: 0, stratify: false },
  shuffle: true,
  seed: null,
});

describe('split files', () => {
  it('each split is its file, in file order; statistics from the train file; classes from all files', () => {
    const warnings: string[] = [];
    const data = prepareData(config({ train: 'split-train.csv', validation: 'split-valid.csv', test: 'split-test.csv' }), { baseDir: csvFixtures, seed: 1, onWarning: (m) => warnings.push(m) });
    expect(warnings).toEqual(['Class `bird` of `label` occurs in the test file but not in the train file, so the model never learns it; add rows of that class to the train file.']);
    try {
      expect(data.splitRows).toEqual({ train: [0, 1, 2], validation: [3], test: [4, 5] });
      expect(data.rowLines).toEqual([2, 3, 4, 2, 2, 3]);
      // Train a = 1, 3, 5: mean 3, population std sqrt(8/3).
      expect(data.normalization.shift[0]).toBe(3);
      expect(data.normalization.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
      expect(data.labels).toEqual(['bird', 'cat', 'dog']);
      expect(Array.from(data.train.y.dataSync())).toEqual([1, 2, 1]);
      expect(Array.from(data.validation!.y.dataSync())).toEqual([2]);
      expect(Array.from(data.test!.y.dataSync())).toEqual([0, 1]);
      expect(data.test!.x.shape).toEqual([2, 2]);
      expect(data.splitFiles?.files).toEqual({ train: fixture('split-train.csv'), validation: fixture('split-valid.csv'), test: fixture('split-test.csv') });
      expect(data.splitFiles?.hashes.validation).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      tf.dispose([data.train.x, data.train.y, data.validation!.x, data.validation!.y, data.test!.x, data.test!.y]);
    }
  });

  it('validation and test are optional', () => {
    const data = prepareData(config({ train: 'split-train.csv', test: 'split-test.csv' }, 'none'), { baseDir: csvFixtures, seed: 1 });
    expect(data.splitRows).toEqual({ train: [0, 1, 2], validation: [], test: [3, 4] });
    expect(data.validation).toBeNull();
    tf.dispose([data.train.x, data.train.y, data.test!.x, data.test!.y]);
  });

  it('a file whose columns differ from the train file is refused (E0534), naming the first differing column', () => {
    const error = dataErrorOf(() => prepareData(config({ train: 'split-train.csv', test: 'split-test-reordered.csv' }), { baseDir: csvFixtures, seed: 1 }));
    expect(error.code).toBe('E0534');
    expect(error.file).toBe(fixture('split-test-reordered.csv'));
    expect(error.column).toBe(2);
    expect(error.option).toBe('test');
    expect(error.message).toContain('column 2 is `label`, but in the train file');
  });
});
