import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitSizes } from '../../src/plan/split-sizes.js';
import { csvDataSource } from '../../src/runtime/data/csv-source.js';
import type { DataPipelineConfig } from '../../src/runtime/data/config.js';
import { prepareDataset } from '../../src/runtime/data/prepare-dataset.js';
import { randomDataSource } from '../../src/runtime/data/random-source.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

const pipeline = (split: Partial<DataPipelineConfig['split']>, rest: Partial<DataPipelineConfig> = {}): DataPipelineConfig => ({
  reshape: null,
  normalize: 'none',
  one_hot: false,
  split: { train: 0, validation: 0, test: 0, stratify: false, ...split },
  shuffle: true,
  seed: null,
  ...rest,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('splitSizes', () => {
  it('splits generated data: validation floor(n * v), test floor(n * t), train the rest', () => {
    const source = randomDataSource({ kind: 'random', samples: 103, features: 2, targets: 1, classes: 0 });
    // floor(103 * 0.2) = 20, floor(103 * 0.1) = 10, 103 - 30 = 73
    expect(splitSizes(source, pipeline({ validation: 0.2, test: 0.1 }), { baseDir: '.', seed: 1 })).toMatchObject({
      rows: 103,
      train: 73,
      validation: 20,
      test: 10,
      classes: null,
    });
  });

  it('stratifies iris by class: 7 of each class of 50 in validation and in test', () => {
    const source = csvDataSource({ kind: 'csv', path: 'data/iris.csv', label: 'species', features: null, categorical: true, missing: 'error' });
    const config = pipeline({ train: 0.7, validation: 0.15, test: 0.15, stratify: true });
    const sizes = splitSizes(source, config, { baseDir: EXAMPLES, seed: 7 });
    expect(sizes).toMatchObject({ rows: 150, train: 108, validation: 21, test: 21, classes: 3 });
    // The same counts as the run's own data pipeline.
    const data = prepareDataset(source, config, { baseDir: EXAMPLES, seed: 7 });
    expect([data.train.x.shape[0], data.validation!.x.shape[0], data.test!.x.shape[0]]).toEqual([sizes.train, sizes.validation, sizes.test]);
  });
});
