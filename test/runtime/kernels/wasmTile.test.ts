/** Tile on wasm by block copies: against a reference written here and the stock kernel, every dtype, no leaks. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveWasmCounts, seededValues, sizeOf, useWasmWithFixes, withStockWasmKernels } from './wasm-test-support.js';

/** out[i] = x[i mod shape] coordinate by coordinate, from the row-major values. */
function referenceTile(values: ArrayLike<number>, shape: number[], reps: number[]): number[] {
  const outShape = shape.map((s, a) => s * reps[a]!);
  const out: number[] = [];
  const strides = shape.map((_, a) => sizeOf(shape.slice(a + 1)));
  const visit = (axis: number, offset: number) => {
    if (axis === shape.length) {
      out.push(values[offset]!);
      return;
    }
    for (let i = 0; i < outShape[axis]!; i++) visit(axis + 1, offset + (i % shape[axis]!) * strides[axis]!);
  };
  visit(0, 0);
  return out;
}

const CASES: [number[], number[]][] = [
  [[1, 1, 1, 32], [32, 8, 8, 1]], // batch norm's statistics over a batch of images
  [[3], [5]],
  [[2, 3], [1, 1]],
  [[2, 3], [3, 1]],
  [[2, 3], [1, 4]],
  [[2, 3, 4], [2, 3, 2]],
  [[4, 1, 3], [1, 7, 1]],
  [[2, 2, 2, 2, 2], [1, 3, 1, 2, 3]],
  [[5, 1], [1, 1000]],
  [[0, 3], [2, 2]],
  [[2, 3], [0, 2]],
  [[], []],
];

beforeAll(useWasmWithFixes);

describe('wasm Tile', () => {
  it.each(CASES)('float32 %j by %j equals the reference and the stock kernel', async (shape, reps) => {
    const values = seededValues(sizeOf(shape), 3);
    const x = tf.tensor(values, shape);
    const ours = tf.tidy(() => Array.from(tf.tile(x, reps).dataSync()));
    expect(ours).toEqual(referenceTile(values, shape, reps));
    const stock = await withStockWasmKernels(() => tf.tidy(() => Array.from(tf.tile(x, reps).dataSync())));
    expect(ours).toEqual(stock);
    x.dispose();
  });

  it.each(['int32', 'bool'] as const)('%s keeps its values', (dtype) => {
    const shape = [2, 3, 1];
    const reps = [2, 1, 5];
    const values = Array.from({ length: 6 }, (_, i) => (dtype === 'bool' ? i % 2 : i * 7 - 3));
    const x = tf.tensor(values, shape, dtype);
    const out = tf.tile(x, reps);
    expect(out.dtype).toBe(dtype);
    expect(out.shape).toEqual([4, 3, 5]);
    expect(Array.from(out.dataSync())).toEqual(referenceTile(values, shape, reps));
    tf.dispose([x, out]);
  });

  it('its gradient (a sum over the repetitions) is unchanged', () => {
    const x = tf.tensor([1, 2, 3], [1, 3]);
    const grad = tf.grad((t: tf.Tensor) => tf.tile(t, [4, 2]).mul(tf.range(0, 24).reshape([4, 6])).sum())(x);
    // d/dx_j = sum of the weights at every copy of x_j.
    const weights = Array.from({ length: 24 }, (_, i) => i);
    const want = [0, 1, 2].map((j) => weights.filter((_, i) => (i % 6) % 3 === j).reduce((a, b) => a + b, 0));
    expect(Array.from(grad.dataSync())).toEqual(want);
    tf.dispose([x, grad]);
  });

  it('leaks no tensors and no wasm buffers', () => {
    const x = tf.tensor(seededValues(32, 1), [1, 1, 1, 32]);
    const before = liveWasmCounts();
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.tile(x, [32, 8, 8, 1]);
      });
    }
    expect(liveWasmCounts()).toEqual(before);
    x.dispose();
  });
});
