/**
 * Absurd sizes are reported before anything is allocated: a model over the parameter limit with
 * its parameter count and the flag that raises the limit, a spec too large to read, a generated
 * data set too large to hold. Each answer must come quickly and without using much memory.
 */
import { describe, expect, it } from 'vitest';
import { analyze, MAX_SOURCE_BYTES, SOURCE_TOO_LARGE } from '../../src/frontend.js';
import { DataError } from '../../src/runtime/data/errors.js';
import { randomDataSource } from '../../src/runtime/data/random-source.js';
import { sequenceDataSource } from '../../src/runtime/data/sequence-source.js';
import { sineDataSource } from '../../src/runtime/data/sine-source.js';
import { diagnosticProblem } from './pipeline.js';

const TAIL = `
data { source: random(samples: 10, features: 4, targets: 4) }
loss: mse
optimizer: adam(lr: 0.01)
`;

/** Runs `work`, returning its result, wall time and growth of the JS heap. */
function measure<T>(work: () => T): { result: T; ms: number; heapMb: number } {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = work();
  return { result, ms: performance.now() - started, heapMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20 };
}

describe('a model over the parameter limit', () => {
  it('dense(1e9): reported with its parameter count and --max-params, at once', () => {
    const source = `model {\n  input(shape: [10])\n  dense(1000000000, activation: relu)\n  dense(1)\n}${TAIL.replace('targets: 4', 'targets: 1').replace('features: 4', 'features: 10')}`;
    const { result, ms } = measure(() => analyze(source, 'big.mlspec'));
    // 10 -> 1e9: 10 * 1e9 weights + 1e9 biases; 1e9 -> 1: 1e9 weights + 1 bias.
    const params = 10 * 1e9 + 1e9 + 1e9 + 1;
    const sizes = result.diagnostics.filter((d) => d.code === 'E0304');
    expect(sizes).toHaveLength(1);
    expect(sizes[0]!.message).toContain(`${params.toLocaleString('en-US')} parameters`);
    expect(sizes[0]!.message).toContain(`--max-params ${params}`);
    expect(ms).toBeLessThan(2000);
  });

  it('the limit can be raised: with maxParams above the count the spec is accepted', () => {
    const source = `model {\n  input(shape: [4])\n  dense(100000)\n  dense(4)\n}${TAIL}`;
    const params = 4 * 100_000 + 100_000 + 100_000 * 4 + 4;
    expect(analyze(source, 'x.mlspec', { maxParams: params - 1 }).diagnostics.map((d) => d.code)).toContain('E0304');
    expect(analyze(source, 'x.mlspec', { maxParams: params }).diagnostics.map((d) => d.code)).not.toContain('E0304');
  });
});

describe('a spec too large to read', () => {
  const layers = (n: number) => `model {\n  input(shape: [4])\n${'  dense(64)\n'.repeat(n)}  dense(4)\n}${TAIL}`;

  it('a million layers: refused by size in milliseconds, before parsing', () => {
    const source = layers(1_000_000);
    const { result, ms, heapMb } = measure(() => analyze(source, 'deep.mlspec'));
    expect(result.ir).toBeNull();
    expect(result.diagnostics).toHaveLength(1);
    const [d] = result.diagnostics;
    expect(d!.code).toBe(SOURCE_TOO_LARGE);
    expect(d!.message).toContain(`${Buffer.byteLength(source).toLocaleString('en-US')} bytes`);
    expect(d!.message).toContain(MAX_SOURCE_BYTES.toLocaleString('en-US'));
    expect(diagnosticProblem(source, 'deep.mlspec', result.diagnostics)).toBeNull();
    expect(ms).toBeLessThan(1000);
    expect(heapMb).toBeLessThan(50);
  });

  it('the limit is on UTF-8 bytes, and exactly at the limit a spec is read', () => {
    const base = layers(1);
    // Pad with a comment of two-byte characters up to exactly the limit, then one byte more.
    const room = MAX_SOURCE_BYTES - Buffer.byteLength(base) - 3;
    const atLimit = `${base}# ${'é'.repeat(Math.floor(room / 2))}${room % 2 === 1 ? 'x' : ''}\n`;
    expect(Buffer.byteLength(atLimit)).toBe(MAX_SOURCE_BYTES);
    expect(analyze(atLimit, 'x.mlspec').diagnostics.map((d) => d.code)).not.toContain(SOURCE_TOO_LARGE);
    expect(analyze(`${atLimit} `, 'x.mlspec').diagnostics.map((d) => d.code)).toEqual([SOURCE_TOO_LARGE]);
    // A string of characters shorter than the limit, but longer in bytes, is still refused.
    const wide = `# ${'€'.repeat(MAX_SOURCE_BYTES / 3)}\n${base}`;
    expect(wide.length).toBeLessThan(MAX_SOURCE_BYTES);
    expect(analyze(wide, 'x.mlspec').diagnostics.map((d) => d.code)).toEqual([SOURCE_TOO_LARGE]);
    expect(analyze(wide, 'x.mlspec', { maxSourceBytes: 2 * MAX_SOURCE_BYTES }).diagnostics.map((d) => d.code)).not.toContain(SOURCE_TOO_LARGE);
  });
});

describe('generated data too large to hold', () => {
  const load = (source: { load: (o: { seed: number; baseDir: string }) => unknown }) => () => source.load({ seed: 1, baseDir: '.' });
  const cases = [
    ['random(samples: 1e8, features: 1000)', load(randomDataSource({ kind: 'random', samples: 100_000_000, features: 1000, targets: 1, classes: 0 })), 100_000_000 * 1001],
    ['random(samples: 1e300, features: 1)', load(randomDataSource({ kind: 'random', samples: 1e300, features: 1, targets: 1, classes: 0 })), null],
    ['sequence(samples: 1e6, length: 100)', load(sequenceDataSource({ kind: 'sequence', task: 'copy', samples: 1_000_000, length: 100, vocab: 10 })), 2 * 1_000_000 * 100],
    ['sine(samples: 1e7, window: 10)', load(sineDataSource({ kind: 'sine', samples: 10_000_000, window: 10, noise: 0, period: 25 })), 10_000_000 * 11 + 10],
  ] as const;

  it.each(cases)('%s: a DataError E0529 with the count, before allocating', (_name, work, values) => {
    const { result, ms, heapMb } = measure(() => {
      try {
        work();
        return null;
      } catch (error) {
        return error;
      }
    });
    expect(result).toBeInstanceOf(DataError);
    const error = result as DataError;
    expect(error.code).toBe('E0529');
    if (values !== null) expect(error.message).toContain(`${values.toLocaleString('en-US')} numbers`);
    expect(ms).toBeLessThan(100);
    expect(heapMb).toBeLessThan(10);
  });

  it('within the limit, a generator produces its data', () => {
    const table = randomDataSource({ kind: 'random', samples: 1000, features: 9, targets: 1, classes: 0 }).load({ seed: 1, baseDir: '.' });
    expect(table.features).toHaveLength(1000);
  });
});
