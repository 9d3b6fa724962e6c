import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../../src/runtime/rng.js';
import { randomDataSource } from '../../../src/runtime/data/random-source.js';
import { sequenceDataSource } from '../../../src/runtime/data/sequence-source.js';
import { sineDataSource } from '../../../src/runtime/data/sine-source.js';
import { dataErrorOf } from './helpers.js';

const context = { baseDir: '.', seed: 42 };

describe('random', () => {
  it('draws X then y from U[0, 1) with the data/random generator', () => {
    const t = randomDataSource({ kind: 'random', samples: 3, features: 2, targets: 2, classes: 0 }).load(context);
    const rng = createRng(deriveSeed(42, 'data', 'random'));
    const draws = Array.from({ length: 12 }, () => rng.next());
    expect(t.features).toEqual([draws.slice(0, 2), draws.slice(2, 4), draws.slice(4, 6)]);
    expect(t.labels).toEqual({ kind: 'values', values: [draws.slice(6, 8), draws.slice(8, 10), draws.slice(10, 12)] });
    expect(t.featureNames).toEqual(['x1', 'x2']);
    expect(t.sampleShape).toEqual([2]);
  });

  it('draws class indices in [0, classes) when classes > 0', () => {
    const t = randomDataSource({ kind: 'random', samples: 500, features: 1, targets: 1, classes: 4 }).load(context);
    expect(t.labels.kind).toBe('classes');
    const indices = t.labels.kind === 'classes' ? t.labels.indices : [];
    expect(indices.every((c) => Number.isInteger(c) && c >= 0 && c < 4)).toBe(true);
    expect(new Set(indices).size).toBe(4);
    expect(t.features.flat().every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('hashes the config and seed', () => {
    const config = { kind: 'random', samples: 3, features: 2, targets: 1, classes: 0 } as const;
    const hash = (seed: number) => randomDataSource(config).load({ baseDir: '.', seed }).hash;
    expect(hash(1)).toBe(hash(1));
    expect(hash(1)).not.toBe(hash(2));
    expect(hash(1)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('E0527: a generator option out of range', () => {
    const error = dataErrorOf(() => randomDataSource({ kind: 'random', samples: 0, features: 2, targets: 1, classes: 0 }).load(context));
    expect([error.code, error.message, error.option]).toEqual(['E0527', '`random(samples: 0)` is invalid: samples must be a positive integer.', 'samples']);
  });
});

describe('sequence', () => {
  const load = (task: 'reverse' | 'sort' | 'copy') => sequenceDataSource({ kind: 'sequence', task, samples: 50, length: 6, vocab: 7 }).load(context);

  it('draws tokens in [0, vocab) as int32 data', () => {
    const t = load('copy');
    expect(t.dtype).toBe('int32');
    expect(t.sampleShape).toEqual([6]);
    expect(t.features).toHaveLength(50);
    expect(t.features.flat().every((x) => Number.isInteger(x) && x >= 0 && x < 7)).toBe(true);
    expect(new Set(t.features.flat()).size).toBe(7);
  });

  it.each([
    ['reverse', (x: number[]) => [...x].reverse()],
    ['sort', (x: number[]) => [...x].sort((a, b) => a - b)],
    ['copy', (x: number[]) => x],
  ] as const)('%s: y per token', (task, target) => {
    const t = load(task);
    expect(t.labels.kind).toBe('tokens');
    if (t.labels.kind !== 'tokens') return;
    expect(t.labels.count).toBe(7);
    t.features.forEach((x, i) => expect(t.labels.kind === 'tokens' && t.labels.indices[i]).toEqual(target(x)));
  });

  it('draws the same tokens whatever the task', () => {
    expect(load('reverse').features).toEqual(load('sort').features);
  });
});

describe('sine', () => {
  it('without noise: x = sin(2 pi t / period) over the window, y = the next value', () => {
    const t = sineDataSource({ kind: 'sine', samples: 30, window: 5, noise: 0, period: 12 }).load(context);
    const s = (k: number) => Math.sin((2 * Math.PI * k) / 12);
    expect(t.sampleShape).toEqual([5, 1]);
    expect(t.features).toHaveLength(30);
    for (let i = 0; i < 30; i++) {
      t.features[i]!.forEach((x, j) => expect(x).toBeCloseTo(s(i + j), 12));
      expect(t.labels.kind === 'values' && t.labels.values[i]![0]).toBeCloseTo(s(i + 5), 12);
    }
  });

  it('with noise: one series, so windows overlap and y is the next window\'s last value', () => {
    const t = sineDataSource({ kind: 'sine', samples: 2000, window: 4, noise: 0.1, period: 25 }).load(context);
    const values = t.labels.kind === 'values' ? t.labels.values : [];
    for (let i = 0; i + 1 < 2000; i++) {
      expect(t.features[i + 1]!.slice(0, 3)).toEqual(t.features[i]!.slice(1));
      expect(t.features[i + 1]![3]).toBe(values[i]![0]);
    }
    // The noise has the configured standard deviation (2000 draws: within 10%).
    const residuals = values.map((y, i) => y[0]! - Math.sin((2 * Math.PI * (i + 4)) / 25));
    const mean = residuals.reduce((a, b) => a + b, 0) / residuals.length;
    const std = Math.sqrt(residuals.reduce((a, r) => a + (r - mean) ** 2, 0) / residuals.length);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(std).toBeGreaterThan(0.09);
    expect(std).toBeLessThan(0.11);
  });

  it('E0527: a period of zero', () => {
    const error = dataErrorOf(() => sineDataSource({ kind: 'sine', samples: 10, window: 2, noise: 0, period: 0 }).load(context));
    expect(error.message).toBe('`sine(period: 0)` is invalid: period must be a positive number.');
  });
});
