/**
 * Splitting rows into train, validation and test.
 *
 * Counts: validation = floor(n * validation), test = floor(n * test), train = the rest (so the
 * `train` ratio itself only matters through the other two). Rows are taken in the order of
 * permutation(n, createRng(deriveSeed(seed, 'split'))), or in file order when shuffle is off:
 * the first `train` rows train, the next `validation` rows validate, the last `test` rows test.
 * Stratified: the same rule within each class (rows of a class in that same order), then each
 * split's rows are merged back into that order.
 */
import { createRng, deriveSeed, permutation } from '../rng.js';
import type { DataSplitConfig } from './config.js';

export interface DataSplitRows {
  train: number[];
  validation: number[];
  test: number[];
}

export interface DataSplitCounts {
  train: number;
  validation: number;
  test: number;
}

/** floor(n * ratio), with a little slack so 0.29 * 100 gives 29 and not 28 (0.29 * 100 = 28.999999999999996). */
function dataFloorShare(n: number, ratio: number): number {
  return Math.min(n, Math.floor(n * ratio + 1e-9));
}

export function dataSplitCounts(n: number, split: Pick<DataSplitConfig, 'validation' | 'test'>): DataSplitCounts {
  const validation = dataFloorShare(n, split.validation);
  const test = Math.min(n - validation, dataFloorShare(n, split.test));
  return { train: n - validation - test, validation, test };
}

/** The row order splits are taken from. */
export function dataSplitOrder(n: number, shuffle: boolean, seed: number): number[] {
  return shuffle ? permutation(n, createRng(deriveSeed(seed, 'split'))) : Array.from({ length: n }, (_, i) => i);
}

function dataCutOrder(order: readonly number[], counts: DataSplitCounts): DataSplitRows {
  return {
    train: order.slice(0, counts.train),
    validation: order.slice(counts.train, counts.train + counts.validation),
    test: order.slice(counts.train + counts.validation),
  };
}

/**
 * Row indices of each split. `strata` (one class index per row) stratifies when given and
 * split.stratify is true.
 */
export function splitDataRows(
  n: number,
  split: DataSplitConfig,
  options: { shuffle: boolean; seed: number; strata: readonly number[] | null },
): DataSplitRows {
  const order = dataSplitOrder(n, options.shuffle, options.seed);
  if (!split.stratify || options.strata === null) return dataCutOrder(order, dataSplitCounts(n, split));

  const strata = options.strata;
  const groups = new Map<number, number[]>();
  for (const row of order) {
    const group = groups.get(strata[row]!);
    if (group) group.push(row);
    else groups.set(strata[row]!, [row]);
  }
  // Each class is cut as an unstratified split would be; then the rows of each split are taken
  // in the split order (what sorting them by their position in `order` gives, in one pass).
  const part = new Uint8Array(n); // 0 train, 1 validation, 2 test
  for (const group of groups.values()) {
    const counts = dataSplitCounts(group.length, split);
    for (let i = counts.train; i < group.length; i++) part[group[i]!] = i < counts.train + counts.validation ? 1 : 2;
  }
  const merged: DataSplitRows = { train: [], validation: [], test: [] };
  const lists = [merged.train, merged.validation, merged.test];
  for (const row of order) lists[part[row]!]!.push(row);
  return merged;
}
