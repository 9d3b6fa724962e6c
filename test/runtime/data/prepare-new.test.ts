import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { DataSourceConfig, PrepareDataConfig } from '../../../src/runtime/data/config.js';
import { prepareData } from '../../../src/runtime/data/prepare.js';
import { prepareNewData, type SavedDataState } from '../../../src/runtime/data/prepare-new.js';
import { csvFixtures, dataErrorOf, examplesDir, fixture } from './helpers.js';

const csvConfig = (file: string, more: Partial<Extract<DataSourceConfig, { kind: 'csv' }>> = {}): PrepareDataConfig => ({
  source: { kind: 'csv', path: file, label: 'label', features: null, categorical: true, missing: 'error', ...more },
  reshape: null,
  normalize: 'minmax',
  one_hot: false,
  split: { train: 1, validation: 0, test: 0, stratify: false },
  shuffle: false,
  seed: null,
});

const options = { baseDir: csvFixtures, seed: 1 };
const minmax = { kind: 'minmax' as const, shift: [1, 2], scale: [2, 4] };

describe('prepareNewData', () => {
  it('picks the saved feature columns by name, fills with the saved means and applies the saved normalisation', () => {
    const saved: SavedDataState = { labels: ['x', 'y'], normalization: minmax, featureNames: ['a', 'b'], missingFill: [9, 6] };
    const d = prepareNewData(csvConfig('new-rows.csv', { missing: 'mean' }), options, saved);
    // Row 1: a = 1, b = 4; row 2: a = 3, b empty -> 6. Then (x - shift) / scale.
    expect(d.x.arraySync()).toEqual([
      [0, 0.5],
      [1, 1],
    ]);
    expect(d.y).toBeNull();
    expect(d.rowLines).toEqual([2, 3]);
    expect(d.featureNames).toEqual(['a', 'b']);
    tf.dispose(d.x);
  });

  it('maps labels with the saved classes', () => {
    const d = prepareNewData(csvConfig('new-labeled.csv'), options, { labels: ['x', 'y'], normalization: minmax });
    expect(d.y!.dtype).toBe('int32');
    expect(d.y!.arraySync()).toEqual([1, 0]);
    expect(d.x.arraySync()).toEqual([
      [0, 0],
      [1, 0.5],
    ]);
    tf.dispose([d.x, d.y!]);
  });

  it('E0517: a class the model was not trained on', () => {
    const error = dataErrorOf(() => prepareNewData(csvConfig('new-labeled.csv'), options, { labels: ['x'], normalization: minmax }));
    expect([error.code, error.line, error.column]).toEqual(['E0517', 2, 3]);
  });

  it('E0528: a different number of feature columns', () => {
    const error = dataErrorOf(() =>
      prepareNewData(csvConfig('new-labeled.csv'), options, { labels: ['x', 'y'], normalization: { kind: 'zscore', shift: [0, 0, 0], scale: [1, 1, 1] } }),
    );
    expect([error.code, error.message]).toEqual([
      'E0528',
      `\`${fixture('new-labeled.csv')}\` has 2 feature columns but the model was trained on 3; use data with the training data's columns.`,
    ]);
  });

  it('treats the training file as new data exactly as training did', () => {
    const config: PrepareDataConfig = {
      ...csvConfig('data/iris.csv', { label: 'species' }),
      normalize: 'zscore',
      split: { train: 0.7, validation: 0.15, test: 0.15, stratify: true },
      shuffle: true,
    };
    const trained = prepareData(config, { baseDir: examplesDir, seed: 7 });
    const again = prepareNewData(config, { baseDir: examplesDir, seed: 7 }, trained);
    const x = again.x.arraySync() as number[][];
    const y = again.y!.arraySync() as number[];
    const testX = trained.test!.x.arraySync() as number[][];
    const testY = trained.test!.y.arraySync() as number[];
    trained.splitRows.test.forEach((row, i) => {
      expect(x[row]).toEqual(testX[i]);
      expect(y[row]).toBe(testY[i]);
    });
    tf.dispose([again.x, again.y!, trained.train.x, trained.train.y, trained.test!.x, trained.test!.y, trained.validation!.x, trained.validation!.y]);
  });
});
