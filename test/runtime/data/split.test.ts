import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, permutation } from '../../../src/runtime/rng.js';
import { dataSplitCounts, splitDataRows } from '../../../src/runtime/data/split.js';

const ratios = (validation: number, test: number, stratify = false) => ({ train: 1 - validation - test, validation, test, stratify });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const count = (rows: number[], strata: number[], c: number) => rows.filter((r) => strata[r] === c).length;

describe('dataSplitCounts', () => {
  it('floors validation and test and gives the rest to train', () => {
    expect(dataSplitCounts(150, ratios(0.15, 0.15))).toEqual({ train: 106, validation: 22, test: 22 });
    expect(dataSplitCounts(1797, ratios(0.1, 0.2))).toEqual({ train: 1259, validation: 179, test: 359 });
    expect(dataSplitCounts(7, ratios(0, 0))).toEqual({ train: 7, validation: 0, test: 0 });
  });

  it('is not fooled by floating-point products just below a whole number', () => {
    expect(0.29 * 100).toBeLessThan(29); // why the tolerance exists
    expect(dataSplitCounts(100, ratios(0.29, 0)).validation).toBe(29);
  });
});

describe('splitDataRows', () => {
  it('gives disjoint splits covering every row', () => {
    const rows = splitDataRows(150, ratios(0.15, 0.15), { shuffle: true, seed: 7, strata: null });
    expect([rows.train.length, rows.validation.length, rows.test.length]).toEqual([106, 22, 22]);
    const all = [...rows.train, ...rows.validation, ...rows.test];
    expect(new Set(all).size).toBe(150);
    expect([...all].sort((a, b) => a - b)).toEqual(range(0, 150));
  });

  it('takes train, validation, test from the seeded permutation, in that order', () => {
    const order = permutation(20, createRng(deriveSeed(3, 'split')));
    expect(splitDataRows(20, ratios(0.25, 0.1), { shuffle: true, seed: 3, strata: null })).toEqual({
      train: order.slice(0, 13),
      validation: order.slice(13, 18),
      test: order.slice(18),
    });
  });

  it('keeps file order without shuffle', () => {
    expect(splitDataRows(10, ratios(0.2, 0.3), { shuffle: false, seed: 1, strata: null })).toEqual({
      train: range(0, 5),
      validation: [5, 6],
      test: [7, 8, 9],
    });
  });

  it('gives the same split for the same seed and a different one for another seed', () => {
    const split = (seed: number) => splitDataRows(100, ratios(0.2, 0.2), { shuffle: true, seed, strata: null });
    expect(split(5)).toEqual(split(5));
    expect(split(6).train).not.toEqual(split(5).train);
  });

  it('stratifies: the same rule within each class', () => {
    const strata = range(0, 150).map((i) => Math.floor(i / 50));
    const rows = splitDataRows(150, ratios(0.15, 0.15, true), { shuffle: true, seed: 11, strata });
    for (const c of [0, 1, 2]) {
      expect([count(rows.train, strata, c), count(rows.validation, strata, c), count(rows.test, strata, c)]).toEqual([36, 7, 7]);
    }
    expect(new Set([...rows.train, ...rows.validation, ...rows.test]).size).toBe(150);
  });

  it('stratifies unbalanced classes, each with its own floor', () => {
    const strata = [...Array(10).fill(0), ...Array(3).fill(1)];
    const rows = splitDataRows(13, ratios(0.2, 0.2, true), { shuffle: false, seed: 0, strata });
    expect(rows).toEqual({ train: [0, 1, 2, 3, 4, 5, 10, 11, 12], validation: [6, 7], test: [8, 9] });
  });

  it('merges the classes back in permutation order', () => {
    const strata = range(0, 60).map((i) => i % 3);
    const order = permutation(60, createRng(deriveSeed(4, 'split')));
    const rank = new Map(order.map((row, position) => [row, position]));
    const rows = splitDataRows(60, ratios(0.2, 0.2, true), { shuffle: true, seed: 4, strata });
    for (const part of [rows.train, rows.validation, rows.test]) {
      const ranks = part.map((row) => rank.get(row)!);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
    // Within a class, the first rows of the permutation go to train.
    const firstOfClass0 = order.filter((row) => strata[row] === 0).slice(0, 12);
    expect(rows.train.filter((row) => strata[row] === 0)).toEqual(firstOfClass0);
  });
});
