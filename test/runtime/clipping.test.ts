import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { clipByGlobalNorm, clipByNorm, clipByValue } from '../../src/runtime/clipping.js';
import type { GradientClipper } from '../../src/runtime/contracts.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Clips the given gradients and returns the results as arrays, checking nothing leaks. */
function clipValues(clipper: GradientClipper, gradients: number[][]): number[][] {
  const inputs = gradients.map((g) => tf.tensor1d(g));
  const before = tf.memory().numTensors;
  const outputs = clipper.clip(inputs);
  expect(tf.memory().numTensors).toBe(before + outputs.length);
  const result = outputs.map((t) => Array.from(t.dataSync()));
  tf.dispose([...inputs, ...outputs]);
  return result;
}

function expectNested(actual: number[][], expected: number[][]): void {
  expect(actual.map((row) => row.length)).toEqual(expected.map((row) => row.length));
  actual.forEach((row, i) => row.forEach((value, j) => expect(value).toBeCloseTo(expected[i]![j]!, 6)));
}

describe('clipByValue', () => {
  it('clips every entry to [-limit, limit]', () => {
    expectNested(clipValues(clipByValue({ limit: 0.5 }), [[0.3, -0.7, 1.2], [-0.5]]), [[0.3, -0.5, 0.5], [-0.5]]);
  });
});

describe('clipByNorm', () => {
  it('rescales each tensor whose norm exceeds the limit to norm = limit', () => {
    // [3, 4] has norm 5 -> [3, 4] * 1/5; [0.3, 0.4] has norm 0.5 <= 1 -> unchanged.
    expectNested(clipValues(clipByNorm({ limit: 1 }), [[3, 4], [0.3, 0.4]]), [[0.6, 0.8], [0.3, 0.4]]);
  });

  it('leaves a zero gradient at zero', () => {
    expectNested(clipValues(clipByNorm({ limit: 1 }), [[0, 0]]), [[0, 0]]);
  });
});

describe('clipByGlobalNorm', () => {
  it('scales all tensors by limit / global norm when it exceeds the limit', () => {
    // global norm = sqrt(9 + 16 + 144) = 13 -> every entry * 1/13.
    expectNested(clipValues(clipByGlobalNorm({ limit: 1 }), [[3, 4], [12]]), [[3 / 13, 4 / 13], [12 / 13]]);
  });

  it('leaves gradients alone when the global norm is within the limit', () => {
    expectNested(clipValues(clipByGlobalNorm({ limit: 20 }), [[3, 4], [12]]), [[3, 4], [12]]);
  });

  it('does not clip each tensor on its own', () => {
    // Per tensor, [0.6, 0.8] (norm 1) is within limit 1, but the global norm sqrt(1 + 1) is not.
    const s = 1 / Math.SQRT2;
    expectNested(clipValues(clipByGlobalNorm({ limit: 1 }), [[0.6, 0.8], [1]]), [[0.6 * s, 0.8 * s], [s]]);
  });

  it('accepts an empty list', () => {
    expect(clipByGlobalNorm({ limit: 1 }).clip([])).toEqual([]);
  });
});

describe('limits', () => {
  it('must be positive', () => {
    expect(() => clipByValue({ limit: 0 })).toThrow(/limit must be a positive number, got 0/);
    expect(() => clipByNorm({ limit: -1 })).toThrow(/positive/);
    expect(() => clipByGlobalNorm({ limit: Number.NaN })).toThrow(/positive/);
  });
});
