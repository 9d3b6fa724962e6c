/**
 * The split and shuffle orders can be reproduced from docs/semantics.md alone ("Random numbers",
 * "Split"): an independent implementation written from that text (BigInt arithmetic modulo 2^32,
 * none of src/runtime/rng.ts) must give the runtime's orders, and every constant it uses must be
 * in the docs.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed, permutation } from '../../../src/runtime/rng.js';
import { dataSplitOrder, splitDataRows } from '../../../src/runtime/data/split.js';

const docs = fs.readFileSync('docs/semantics.md', 'utf8');

const M = 2n ** 32n;
const u32 = (x: bigint) => ((x % M) + M) % M;
const FNV_OFFSET = 0x811c9dc5n;
const FNV_PRIME = 0x01000193n;
const MIX1 = 0x85ebca6bn;
const MIX2 = 0xc2b2ae35n;
const GOLDEN = 0x6d2b79f5n;

function docDeriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = FNV_OFFSET ^ u32(BigInt(seed));
  for (const label of labels) {
    const text = `/${typeof label === 'number' ? label.toString(10) : label}`;
    for (let i = 0; i < text.length; i++) h = u32((h ^ BigInt(text.charCodeAt(i))) * FNV_PRIME);
  }
  h ^= h >> 16n;
  h = u32(h * MIX1);
  h ^= h >> 13n;
  h = u32(h * MIX2);
  h ^= h >> 16n;
  return Number(h);
}

function docRng(seed: number): { int(n: number): number } {
  let state = BigInt(seed);
  const next = (): number => {
    state = u32(state + GOLDEN);
    let t = state;
    t = u32((t ^ (t >> 15n)) * (t | 1n));
    t = u32(t ^ u32(t + u32((t ^ (t >> 7n)) * (t | 61n))));
    const u = t ^ (t >> 14n);
    return Number(u) / 2 ** 32;
  };
  return { int: (n) => Math.floor(next() * n) };
}

function docPermutation(n: number, rng: { int(n: number): number }): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

const floorShare = (n: number, ratio: number) => Math.min(n, Math.floor(n * ratio + 1e-9));

/** The stratified split as docs/semantics.md "Split" describes it. */
function docStratifiedSplit(strata: number[], validation: number, test: number, seed: number) {
  const n = strata.length;
  const order = docPermutation(n, docRng(docDeriveSeed(seed, 'split')));
  const lists = new Map<number, number[]>();
  for (const row of order) lists.set(strata[row]!, [...(lists.get(strata[row]!) ?? []), row]);
  const out = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  for (const rows of lists.values()) {
    const v = floorShare(rows.length, validation);
    const t = Math.min(rows.length - v, floorShare(rows.length, test));
    const trainCount = rows.length - v - t;
    out.train.push(...rows.slice(0, trainCount));
    out.validation.push(...rows.slice(trainCount, trainCount + v));
    out.test.push(...rows.slice(trainCount + v));
  }
  const position = new Map(order.map((row, i) => [row, i]));
  const byPosition = (a: number, b: number) => position.get(a)! - position.get(b)!;
  return { train: out.train.sort(byPosition), validation: out.validation.sort(byPosition), test: out.test.sort(byPosition) };
}

describe('docs/semantics.md describes the generator exactly', () => {
  it('names every constant of the generator and the hash', () => {
    for (const constant of ['0x811c9dc5', '0x01000193', '0x85ebca6b', '0xc2b2ae35', '0x6d2b79f5', '≫ 15', '∨ 1', '≫ 7', '∨ 61', '≫ 14', '≫ 16', '≫ 13']) {
      expect(docs, constant).toContain(constant);
    }
    expect(docs).toContain("permutation(n, createRng(deriveSeed(dataSeed, 'split')))");
    expect(docs).toContain("permutation(m, createRng(deriveSeed(seed, 'shuffle', e)))");
  });

  it('seeds of purposes match deriveSeed', () => {
    for (const seed of [0, 1, 7, 42, 2 ** 31 + 5, 4294967295]) {
      for (const labels of [['split'], ['shuffle', 0], ['shuffle', 17], ['data', 'random'], ['dropout', 123456]] as (string | number)[][]) {
        expect(docDeriveSeed(seed, ...labels), `${seed} ${labels.join('/')}`).toBe(deriveSeed(seed, ...labels));
      }
    }
  });

  it('split orders and epoch orders match the runtime, for several sizes and seeds', () => {
    for (const [n, seed] of [[1, 0], [2, 3], [150, 7], [569, 11], [10_000, 123]] as const) {
      expect(docPermutation(n, docRng(docDeriveSeed(seed, 'split')))).toEqual(dataSplitOrder(n, true, seed));
      for (const epoch of [0, 1, 9]) {
        expect(docPermutation(n, docRng(docDeriveSeed(seed, 'shuffle', epoch)))).toEqual(permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch))));
      }
    }
  });

  it('a stratified split matches splitDataRows', () => {
    const strata = Array.from({ length: 311 }, (_, i) => (i * 7919) % 5 === 0 ? 2 : i % 3 === 0 ? 1 : 0);
    const config = { train: 0.7, validation: 0.15, test: 0.15, stratify: true };
    expect(docStratifiedSplit(strata, 0.15, 0.15, 9)).toEqual(splitDataRows(strata.length, config, { shuffle: true, seed: 9, strata }));
  });
});
