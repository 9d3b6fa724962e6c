/**
 * Typed columns: a category's vocabulary comes from the training split only, in code point order,
 * with id 0 for any other value; one-hot columns follow [unseen, v1 .. vV]; binary columns are 0/1
 * in sorted order; normalisation touches numeric columns only; new data is encoded with the saved
 * vocabulary; several inputs are laid out side by side in input order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataCsvConfig, DataInputColumns, PrepareDataConfig } from '../../../src/runtime/data/config.js';
import { prepareData } from '../../../src/runtime/data/prepare.js';
import { prepareNewData } from '../../../src/runtime/data/prepare-new.js';
import { dataErrorOf } from './helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-column-types-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function csv(name: string, text: string): string {
  fs.writeFileSync(path.join(dir, name), text);
  return name;
}

// shuffle: false, train 0.75: the first 6 rows train, the last 2 are test. `Oslo` appears only in the test rows.
const TABLE = csv(
  'shop.csv',
  ['age,city,member,label', '10,Rome,no,a', '20,Lima,yes,b', '30,Rome,yes,a', '40,Kyiv,no,b', '50,Lima,no,a', '60,Rome,yes,b', '70,Oslo,no,a', '80,Kyiv,yes,b', ''].join('\n'),
);

const config = (inputs: DataInputColumns[], more: Partial<DataCsvConfig> = {}): PrepareDataConfig => ({
  source: { kind: 'csv', path: TABLE, label: 'label', features: inputs.flatMap((input) => input.from), categorical: true, missing: 'error', category: ['city'], binary: ['member'], inputs, ...more },
  reshape: null,
  normalize: 'minmax',
  one_hot: false,
  split: { train: 0.75, validation: 0, test: 0.25, stratify: false },
  shuffle: false,
  seed: null,
});
const options = { baseDir: dir, seed: 3 };

/** Rows equal to float32 precision (x is float32). */
function expectRows(tensor: tf.Tensor, expected: number[][]): void {
  const rows = tensor.arraySync() as number[][];
  expect(rows.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  rows.forEach((row, i) => row.forEach((value, j) => expect(value, `row ${i}, column ${j}`).toBeCloseTo(expected[i]![j]!, 6)));
}

describe('typed columns', () => {
  it('one-hot in a float32 input: vocabulary of the training rows, unseen first, numeric columns alone normalised', () => {
    const prepared = prepareData(config([{ name: 'x', from: ['age', 'city', 'member'], dtype: 'float32', width: 6 }]), options);
    const city = prepared.columns!.find((column) => column.name === 'city')!;
    expect(city.vocabulary).toEqual(['Kyiv', 'Lima', 'Rome']);
    expect(city.oneHot).toBe(true);
    expect(prepared.featureNames).toEqual(['age', 'city', 'member']);
    // age minmax over the training rows 10..60; city one-hot [unseen, Kyiv, Lima, Rome]; member no/yes -> 0/1.
    expectRows(prepared.train.x, [
      [0, 0, 0, 0, 1, 0],
      [0.2, 0, 0, 1, 0, 1],
      [0.4, 0, 0, 0, 1, 1],
      [0.6, 0, 1, 0, 0, 0],
      [0.8, 0, 0, 1, 0, 0],
      [1, 0, 0, 0, 1, 1],
    ]);
    // Oslo is not in the training rows: the unseen column.
    expectRows(prepared.test!.x, [
      [1.2, 1, 0, 0, 0, 0],
      [1.4, 0, 1, 0, 0, 1],
    ]);
    expect(prepared.normalization.shift).toEqual([10, 0, 0, 0, 0, 0]);
    expect(prepared.normalization.scale).toEqual([50, 1, 1, 1, 1, 1]);
    tf.dispose([prepared.train.x, prepared.train.y, prepared.test!.x, prepared.test!.y]);
  });

  it('two inputs: the float32 columns, then the city id (0 unseen, 1.. in sorted order)', () => {
    const inputs: DataInputColumns[] = [
      { name: 'numeric', from: ['age', 'member'], dtype: 'float32', width: 2 },
      { name: 'city', from: ['city'], dtype: 'int32', width: 1 },
    ];
    const prepared = prepareData(config(inputs), options);
    expect((prepared.train.x.arraySync() as number[][]).map((row) => row[2])).toEqual([3, 2, 3, 1, 2, 3]);
    expect((prepared.test!.x.arraySync() as number[][]).map((row) => row[2])).toEqual([0, 1]);

    // New rows: the saved vocabulary, so Oslo and Paris are unseen (0) even though they are in the file.
    const fresh = csv('fresh.csv', 'age,city,member,label\n35,Paris,yes,a\n45,Oslo,no,b\n55,Lima,yes,a\n');
    const saved = { labels: prepared.labels, normalization: prepared.normalization, featureNames: prepared.featureNames, missingFill: prepared.missingFill, columns: prepared.columns };
    const again = prepareNewData({ ...config(inputs), source: { ...config(inputs).source, path: fresh } as DataCsvConfig }, options, saved);
    expectRows(again.x, [
      [0.5, 1, 0],
      [0.7, 0, 0],
      [0.9, 1, 2],
    ]);
    tf.dispose([prepared.train.x, prepared.train.y, prepared.test!.x, prepared.test!.y, again.x, again.y!]);
  });

  it('an input whose shape does not hold its columns is refused (E0538)', () => {
    const error = dataErrorOf(() => prepareData(config([{ name: 'x', from: ['age', 'city', 'member'], dtype: 'float32', width: 3 }]), options));
    expect(error.code).toBe('E0538');
    expect(error.message).toContain('write input(shape: [6])');
  });

  it('a binary column with three values in the training rows is refused (E0535), and a new value in new data too (E0536)', () => {
    const three = csv('three.csv', 'age,city,member,label\n1,Rome,no,a\n2,Rome,yes,b\n3,Rome,maybe,a\n4,Rome,no,b\n');
    const inputs: DataInputColumns[] = [{ name: 'x', from: ['age', 'member'], dtype: 'float32', width: 2 }];
    const base = config(inputs, { path: three, category: [] });
    expect(dataErrorOf(() => prepareData({ ...base, split: { train: 1, validation: 0, test: 0, stratify: false } }, options)).code).toBe('E0535');
    const prepared = prepareData({ ...base, source: { ...(base.source as DataCsvConfig), path: TABLE }, split: { train: 1, validation: 0, test: 0, stratify: false } }, options);
    const saved = { labels: prepared.labels, normalization: prepared.normalization, featureNames: prepared.featureNames, columns: prepared.columns };
    const error = dataErrorOf(() => prepareNewData(base, options, saved));
    expect(error.code).toBe('E0536');
    expect(error.line).toBe(4);
    tf.dispose([prepared.train.x, prepared.train.y]);
  });
});

describe('an input\'s own normalize', () => {
  it('scales that input\'s numeric columns although the data section says none, and evaluate applies it', () => {
    const inputs: DataInputColumns[] = [
      { name: 'numeric', from: ['age', 'member'], dtype: 'float32', width: 2, normalize: 'minmax' },
      { name: 'city', from: ['city'], dtype: 'int32', width: 1 },
    ];
    const base = { ...config(inputs), normalize: 'none' as const };
    const prepared = prepareData(base, options);
    expect(prepared.normalization).toEqual({ kind: 'minmax', shift: [10, 0, 0], scale: [50, 1, 1] });
    expectRows(prepared.train.x, [
      [0, 0, 3],
      [0.2, 1, 2],
      [0.4, 1, 3],
      [0.6, 0, 1],
      [0.8, 0, 2],
      [1, 1, 3],
    ]);
    const saved = { labels: prepared.labels, normalization: prepared.normalization, featureNames: prepared.featureNames, columns: prepared.columns };
    const again = prepareNewData(base, options, saved);
    expectRows(again.x.slice(0, 1), [[0, 0, 3]]);
    tf.dispose([prepared.train.x, prepared.train.y, prepared.test!.x, prepared.test!.y, again.x, again.y!]);
  });
});

describe('an input\'s own missing', () => {
  it('fills that input\'s empty cells by its rule while the source\'s rule drops rows of the other columns', () => {
    const holes = csv('holes.csv', 'age,city,member,label\n10,Rome,no,a\n,Lima,yes,b\n30,,yes,a\n40,Kyiv,,b\n');
    const inputs: DataInputColumns[] = [
      { name: 'numeric', from: ['age', 'member'], dtype: 'float32', width: 2, missing: 'zero' },
      { name: 'city', from: ['city'], dtype: 'int32', width: 1 },
    ];
    const base = { ...config(inputs, { path: holes, missing: 'drop' }), normalize: 'none' as const, split: { train: 1, validation: 0, test: 0, stratify: false } };
    const prepared = prepareData(base, options);
    // The row with the empty city (line 4) is dropped; the empty age and the empty member are 0.
    expect(prepared.rowLines).toEqual([2, 3, 5]);
    expectRows(prepared.train.x, [
      [10, 0, 3],
      [0, 1, 2],
      [40, 0, 1],
    ]);
    tf.dispose([prepared.train.x, prepared.train.y]);
  });
});
