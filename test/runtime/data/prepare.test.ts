import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import type { PreparedData } from '../../../src/runtime/contracts.js';
import type { DataSourceConfig, PrepareDataConfig } from '../../../src/runtime/data/config.js';
import { prepareData } from '../../../src/runtime/data/prepare.js';
import { csvFixtures, dataErrorOf, describeError, examplesDir, fixture } from './helpers.js';

const prepared: PreparedData[] = [];
afterEach(() => {
  for (const d of prepared.splice(0)) for (const s of [d.train, d.validation, d.test]) if (s) tf.dispose([s.x, s.y]);
});

const csv = (file: string, label: string, more: Partial<Extract<DataSourceConfig, { kind: 'csv' }>> = {}): DataSourceConfig => ({
  kind: 'csv',
  path: file,
  label,
  features: null,
  categorical: true,
  missing: 'error',
  ...more,
});

function config(source: DataSourceConfig, more: Partial<PrepareDataConfig> = {}): PrepareDataConfig {
  return {
    source,
    reshape: null,
    normalize: 'none',
    one_hot: false,
    split: { train: 1, validation: 0, test: 0, stratify: false },
    shuffle: true,
    seed: null,
    ...more,
  };
}

function prepare(c: PrepareDataConfig, baseDir = csvFixtures, seed = 7, warnings: string[] = []) {
  const d = prepareData(c, { baseDir, seed, onWarning: (m) => warnings.push(m) });
  prepared.push(d);
  return d;
}

const split = (train: number, validation: number, test: number, stratify = false) => ({ train, validation, test, stratify });

/** The numeric rows of a shipped CSV file, read without the pipeline. */
function rawRows(file: string): { features: number[][]; labels: string[] } {
  const lines = fs.readFileSync(path.join(examplesDir, 'data', file), 'utf8').trim().split(/\r?\n/).slice(1);
  const cells = lines.map((l) => l.split(','));
  return { features: cells.map((c) => c.slice(0, -1).map(Number)), labels: cells.map((c) => c[c.length - 1]!) };
}

const irisConfig = (more: Partial<PrepareDataConfig> = {}) =>
  config(csv('data/iris.csv', 'species'), { normalize: 'zscore', split: split(0.7, 0.15, 0.15, true), ...more });

describe('normalisation', () => {
  it('zscore statistics come from the training split only and apply to every split', () => {
    const d = prepare(irisConfig(), examplesDir);
    const { features } = rawRows('iris.csv');
    const train = d.splitRows.train.map((r) => features[r]!);
    for (let j = 0; j < 4; j++) {
      const column = train.map((row) => row[j]!);
      const mean = column.reduce((a, b) => a + b, 0) / column.length;
      const std = Math.sqrt(column.reduce((a, v) => a + (v - mean) ** 2, 0) / column.length);
      expect(d.normalization.shift[j]).toBeCloseTo(mean, 10);
      expect(d.normalization.scale[j]).toBeCloseTo(std, 10);
      const all = features.map((row) => row[j]!);
      const allMean = all.reduce((a, b) => a + b, 0) / all.length;
      expect(Math.abs(d.normalization.shift[j]! - allMean)).toBeGreaterThan(1e-6); // not the whole file's
    }
    const x = d.test!.x.arraySync() as number[][];
    d.splitRows.test.forEach((row, i) => {
      x[i]!.forEach((value, j) => expect(value).toBeCloseTo((features[row]![j]! - d.normalization.shift[j]!) / d.normalization.scale[j]!, 5));
    });
  });

  it('minmax maps the training split onto [0, 1]', () => {
    const d = prepare(irisConfig({ normalize: 'minmax' }), examplesDir);
    const x = d.train.x.arraySync() as number[][];
    for (let j = 0; j < 4; j++) {
      const column = x.map((row) => row[j]!);
      expect(Math.min(...column)).toBeCloseTo(0, 6);
      expect(Math.max(...column)).toBeCloseTo(1, 6);
    }
    expect(d.normalization.kind).toBe('minmax');
  });

  it('a constant column under zscore gets scale 1 and becomes 0', () => {
    const d = prepare(config(csv('constant.csv', 'label'), { normalize: 'zscore' }));
    expect(d.normalization.shift[0]).toBe(0.1);
    expect(d.normalization.scale[0]).toBe(1);
    const x = d.train.x.arraySync() as number[][];
    expect(x.map((row) => row[0])).toEqual([0, 0, 0, 0, 0]);
    expect(x.flat().every(Number.isFinite)).toBe(true);
  });
});

describe('missing: mean', () => {
  it('fills with the mean of the training rows only', () => {
    const d = prepare(config(csv('missing.csv', 'label', { missing: 'mean' }), { shuffle: false, split: split(0.5, 0.5, 0) }));
    // Train is rows 1 and 2 of the file: a = 1, 3 (mean 2); b = 2, empty (mean 2). The whole file's mean of a would be 3.
    expect(d.missingFill).toEqual([2, 2]);
    expect(d.train.x.arraySync()).toEqual([
      [1, 2],
      [3, 2],
    ]);
    expect(d.validation!.x.arraySync()).toEqual([
      [5, 6],
      [2, 8],
    ]);
  });

  it('E0525: a column without any training value', () => {
    const error = dataErrorOf(() =>
      prepare(config(csv('mean-untrainable.csv', 'label', { missing: 'mean' }), { shuffle: false, split: split(0.6, 0.34, 0) })),
    );
    expect([error.code, error.option, error.message]).toEqual([
      'E0525',
      'missing',
      `Column \`b\` of \`${fixture('mean-untrainable.csv')}\` has no values in the training split, so \`missing: mean\` cannot fill its empty cells; fill some cells in, or use \`missing: zero\`.`,
    ]);
  });
});

describe('labels', () => {
  it('sparse class labels are int32 [n]', () => {
    const d = prepare(irisConfig(), examplesDir);
    expect(d.train.y.dtype).toBe('int32');
    expect(d.train.y.shape).toEqual([108]);
    expect(d.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const { labels } = rawRows('iris.csv');
    const y = d.train.y.arraySync() as number[];
    d.splitRows.train.forEach((row, i) => expect(d.labels![y[i]!]).toBe(labels[row]));
  });

  it('one_hot gives float32 [n, classes] rows with a single 1 at the class index', () => {
    const sparse = prepare(irisConfig(), examplesDir);
    const hot = prepare(irisConfig({ one_hot: true }), examplesDir);
    expect(hot.train.y.dtype).toBe('float32');
    expect(hot.train.y.shape).toEqual([108, 3]);
    const indices = sparse.train.y.arraySync() as number[];
    (hot.train.y.arraySync() as number[][]).forEach((row, i) => expect(row).toEqual([0, 1, 2].map((c) => (c === indices[i] ? 1 : 0))));
  });

  it('binary_labels gives float32 [n, 1] with the second class (in sorted order) as 1', () => {
    const d = prepare(config(csv('data/breast_cancer.csv', 'diagnosis'), { binary_labels: true }), examplesDir);
    expect(d.labels).toEqual(['benign', 'malignant']);
    expect([d.train.y.dtype, d.train.y.shape]).toEqual(['float32', [569, 1]]);
    const y = (d.train.y.arraySync() as number[][]).map((r) => r[0]);
    const { labels } = rawRows('breast_cancer.csv');
    d.splitRows.train.forEach((row, i) => expect(y[i]).toBe(labels[row] === 'malignant' ? 1 : 0));
  });

  it('E0524: binary labels with three classes', () => {
    const error = dataErrorOf(() => prepare(irisConfig({ binary_labels: true }), examplesDir));
    expect([error.code, error.option, error.message]).toEqual([
      'E0524',
      'label',
      `Binary cross-entropy needs two classes, but \`species\` of \`${path.join(examplesDir, 'data/iris.csv')}\` has 3 (\`setosa\`, \`versicolor\`, \`virginica\`); use sparse_categorical_cross_entropy with one output per class.`,
    ]);
  });

  it('warns about a class that occurs in the test split only, and keeps its index', () => {
    const warnings: string[] = [];
    const d = prepare(config(csv('unseen-label.csv', 'label'), { shuffle: false, split: split(0.9, 0, 0.1) }), csvFixtures, 7, warnings);
    expect(warnings).toEqual([
      `Class \`z\` of \`label\` in \`${fixture('unseen-label.csv')}\` occurs in the test split but not in the training split, so the model never learns it; add rows of that class or set \`stratify: true\`.`,
    ]);
    expect(d.labels).toEqual(['x', 'y', 'z']);
    expect(d.test!.y.arraySync()).toEqual([2]);
  });

  it('regression labels are float32 [n, 1]', () => {
    const d = prepare(config(csv('constant.csv', 'v', { categorical: false, features: ['c'] })));
    expect([d.train.y.dtype, d.train.y.shape, d.labels]).toEqual(['float32', [5, 1], null]);
  });
});

describe('shapes', () => {
  it('reshapes each sample, row-major', () => {
    const d = prepare(config(csv('data/digits.csv', 'digit'), { reshape: [8, 8, 1], split: split(0.7, 0.1, 0.2, true) }), examplesDir);
    expect(d.train.x.shape).toEqual([d.splitRows.train.length, 8, 8, 1]);
    const { features } = rawRows('digits.csv');
    const image = (d.train.x.slice([5, 0, 0, 0], [1, 8, 8, 1]).arraySync() as number[][][][])[0]!;
    const pixels = features[d.splitRows.train[5]!]!;
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) expect(image[r]![c]![0]).toBe(pixels[r * 8 + c]);
  });

  it('E0521: sizes that do not multiply to the feature count', () => {
    expect(describeError(dataErrorOf(() => prepare(irisConfig({ reshape: [2, 3] }), examplesDir)))).toEqual({
      code: 'E0521',
      file: null,
      line: null,
      column: null,
      message: `\`reshape: [2, 3]\` holds 6 values but each sample of \`${path.join(examplesDir, 'data/iris.csv')}\` has 4 features; use sizes that multiply to 4.`,
    });
    expect(dataErrorOf(() => prepare(irisConfig({ reshape: [-2, -2] }), examplesDir)).message).toBe(
      '`reshape: [-2, -2]` must list positive whole sizes, such as [8, 8, 1].',
    );
  });

  it('sequence data: int32 tokens and per-token targets, one-hot over the vocabulary when asked', () => {
    const source: DataSourceConfig = { kind: 'sequence', task: 'reverse', samples: 100, length: 8, vocab: 10 };
    const d = prepare(config(source, { split: split(0.8, 0.1, 0.1) }));
    expect([d.train.x.dtype, d.train.x.shape, d.train.y.dtype, d.train.y.shape]).toEqual(['int32', [80, 8], 'int32', [80, 8]]);
    const x = d.train.x.arraySync() as number[][];
    expect(d.train.y.arraySync()).toEqual(x.map((row) => [...row].reverse()));
    const hot = prepare(config(source, { one_hot: true }));
    expect(hot.train.y.shape).toEqual([100, 8, 10]);
  });

  it('E0526: normalising token ids', () => {
    const source: DataSourceConfig = { kind: 'sequence', task: 'copy', samples: 10, length: 3, vocab: 4 };
    const error = dataErrorOf(() => prepare(config(source, { normalize: 'zscore' })));
    expect([error.code, error.option, error.message]).toEqual([
      'E0526',
      'normalize',
      '`normalize: zscore` cannot apply to the token ids of `sequence(task: copy)` data; remove `normalize` from the data section.',
    ]);
  });

  it('sine data: x [n, window, 1], y [n, 1]', () => {
    const d = prepare(config({ kind: 'sine', samples: 1200, window: 20, period: 25, noise: 0.05 }, { split: split(0.8, 0.1, 0.1) }));
    expect([d.train.x.shape, d.train.y.shape, d.validation!.x.shape, d.test!.y.shape]).toEqual([[960, 20, 1], [960, 1], [120, 20, 1], [120, 1]]);
  });
});

describe('splits', () => {
  const random = (samples: number): DataSourceConfig => ({ kind: 'random', samples, features: 2, targets: 1, classes: 0 });

  it('E0522: no training rows', () => {
    const error = dataErrorOf(() => prepare(config(random(5), { split: split(0, 0.6, 0.4) })));
    expect([error.code, error.option, error.message]).toEqual([
      'E0522',
      'split',
      'The split leaves no training rows out of the 5 rows of `random(samples: 5, features: 2)` data (validation 3, test 2); lower `validation` or `test` in `split`.',
    ]);
  });

  it('warns when a ratio gives no rows, and leaves that split null', () => {
    const warnings: string[] = [];
    const d = prepare(config(random(5), { split: split(0.9, 0.1, 0) }), csvFixtures, 7, warnings);
    expect(d.validation).toBeNull();
    expect(d.test).toBeNull();
    expect(warnings).toEqual([
      '`validation: 0.1` of the 5 rows of `random(samples: 5, features: 2)` data gives no validation rows; use more data or a larger ratio.',
    ]);
  });

  it('E0523: stratifying real-valued labels', () => {
    const error = dataErrorOf(() => prepare(config(random(10), { split: split(0.8, 0.2, 0, true) })));
    expect([error.code, error.option, error.message]).toEqual([
      'E0523',
      'stratify',
      '`stratify: true` needs one class label per sample, but the labels of `random(samples: 10, features: 2)` data are real values; set `categorical: true` if they are class names, or remove `stratify`.',
    ]);
  });

  it('the data seed overrides the run seed for generation and split', () => {
    const c = config(random(20), { seed: 99, split: split(0.5, 0.5, 0) });
    const a = prepare(c, csvFixtures, 1);
    const b = prepare(c, csvFixtures, 2);
    expect(a.train.x.arraySync()).toEqual(b.train.x.arraySync());
    expect(a.splitRows).toEqual(b.splitRows);
    const other = prepare(config(random(20), { split: split(0.5, 0.5, 0) }), csvFixtures, 1);
    expect(other.splitRows).not.toEqual(a.splitRows);
  });
});

describe('shipped data sets', () => {
  const classCounts = (labels: string[]) => labels.reduce((m, l) => m.set(l, (m.get(l) ?? 0) + 1), new Map<string, number>());

  it.each([
    ['iris.csv', 'species', 150, 4, ['setosa', 'versicolor', 'virginica'], 0.15, 0.15],
    ['breast_cancer.csv', 'diagnosis', 569, 30, ['benign', 'malignant'], 0.15, 0.15],
    ['digits.csv', 'digit', 1797, 64, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 0.1, 0.2],
  ] as const)('%s: %i rows, %i features, its classes, stratified split sizes', (file, label, rows, columns, classes, validation, test) => {
    const d = prepare(config(csv(`data/${file}`, label), { normalize: 'zscore', split: split(1 - validation - test, validation, test, true) }), examplesDir);
    expect(d.labels).toEqual([...classes]);
    expect(d.featureNames).toHaveLength(columns);
    expect(d.train.x.shape[1]).toBe(columns);
    const counts = [...classCounts(rawRows(file).labels).values()];
    const expected = (ratio: number) => counts.reduce((sum, n) => sum + Math.floor(n * ratio + 1e-9), 0);
    expect(d.validation!.x.shape[0]).toBe(expected(validation));
    expect(d.test!.x.shape[0]).toBe(expected(test));
    expect(d.train.x.shape[0]! + d.validation!.x.shape[0]! + d.test!.x.shape[0]!).toBe(rows);
    expect(d.hash).toBe(createHash('sha256').update(fs.readFileSync(path.join(examplesDir, 'data', file))).digest('hex'));
  });

  it('prepares the digits in well under 100 ms', () => {
    const digits = config(csv('data/digits.csv', 'digit'), { reshape: [8, 8, 1], normalize: 'minmax', split: split(0.7, 0.1, 0.2, true) });
    let best = Infinity;
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      prepare(digits, examplesDir);
      best = Math.min(best, performance.now() - start);
    }
    expect(best).toBeLessThan(100);
  });
});
