/**
 * The split of streamed data, decided row by row without knowing how many rows there are: a row
 * starting on file line L is in validation when u < validation, in test when
 * validation <= u < validation + test, else in train, where u = rowSplitHash(seed, L) / 2^32.
 * So each split holds its ratio of the rows in expectation (not exactly floor(n * ratio) as for
 * data in memory), the assignment of a row never depends on other rows (one pass, stable when rows
 * are appended), and `stratify` does not apply.
 */
import { deriveSeed, fmix32 } from '../rng.js';
import type { DataSplitConfig } from './config.js';

/** 0 train, 1 validation, 2 test. */
export type StreamPart = 0 | 1 | 2;

/** A 32-bit hash of (seed, line): murmur3's fmix32 over the line mixed with the split seed. */
export function rowSplitHash(splitSeed: number, line: number): number {
  return fmix32(splitSeed ^ Math.imul(line >>> 0, 0x9e3779b1));
}

/** The seed rowSplitHash uses for a data seed. */
export function streamSplitSeed(seed: number): number {
  return deriveSeed(seed, 'stream-split');
}

export function streamRowPart(splitSeed: number, line: number, split: Pick<DataSplitConfig, 'validation' | 'test'>): StreamPart {
  const u = rowSplitHash(splitSeed, line) / 4294967296;
  if (u < split.validation) return 1;
  if (u < split.validation + split.test) return 2;
  return 0;
}
