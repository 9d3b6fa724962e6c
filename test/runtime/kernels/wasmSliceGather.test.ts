import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { installWasmKernels, uninstallWasmKernels } from '../../../src/runtime/kernels/installWasmKernels.js';
import { seededValues, sizeOf } from './wasm-test-support.js';

/** Slice by hand from the row-major values: the reference the kernel must match exactly. */
function referenceSlice(values: Float32Array, shape: number[], begin: number[], size: number[]): number[] {
  const out: number[] = [];
  const strides = shape.map((_, i) => sizeOf(shape.slice(i + 1)));
  const visit = (axis: number, offset: number) => {
    if (axis === shape.length) {
      out.push(values[offset]!);
      return;
    }
    for (let i = begin[axis]!; i < begin[axis]! + size[axis]!; i++) visit(axis + 1, offset + i * strides[axis]!);
  };
  visit(0, 0);
  return out;
}

const CASES: { shape: number[]; begin: number[]; size: number[]; contiguous: boolean }[] = [
  { shape: [64, 13], begin: [8, 0], size: [16, 13], contiguous: true }, // a batch of rows
  { shape: [64, 13], begin: [63, 0], size: [1, 13], contiguous: true },
  { shape: [5, 4, 3], begin: [2, 1, 0], size: [1, 2, 3], contiguous: true }, // inner rows of one item
  { shape: [5, 4, 3], begin: [1, 1, 0], size: [3, 2, 3], contiguous: false }, // strided: stock path
  { shape: [7, 6], begin: [0, 2], size: [7, 3], contiguous: false },
];

describe('wasm Slice', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmKernels();
  });

  it.each(CASES)('slices $shape at $begin size $size exactly', ({ shape, begin, size }) => {
    const values = seededValues(sizeOf(shape), shape.length * 7 + begin[0]!);
    const x = tf.tensor(values, shape);
    const before = tf.memory().numTensors;
    const y = tf.slice(x, begin, size);
    expect(y.shape).toEqual(size);
    expect(Array.from(y.dataSync())).toEqual(referenceSlice(values, shape, begin, size));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('slices int32 and bool tensors too', () => {
    const ints = tf.tensor1d([5, 6, 7, 8, 9], 'int32');
    expect(Array.from(tf.slice(ints, 1, 3).dataSync())).toEqual([6, 7, 8]);
    const bools = tf.tensor1d([true, false, true, true], 'bool');
    expect(Array.from(tf.slice(bools, 1, 2).dataSync())).toEqual([0, 1]);
    tf.dispose([ints, bools]);
  });

  it('agrees with the stock kernel and frees every wasm buffer', () => {
    const values = seededValues(200 * 30, 3);
    const x = tf.tensor(values, [200, 30]);
    const patched = tf.slice(x, [40, 0], [50, 30]).dataSync();
    uninstallWasmKernels();
    const stock = tf.slice(x, [40, 0], [50, 30]).dataSync();
    installWasmKernels();
    expect(Array.from(patched)).toEqual(Array.from(stock));
    const ids = tf.engine().backend.numDataIds();
    tf.tidy(() => {
      tf.slice(x, [10, 0], [20, 30]);
    });
    expect(tf.engine().backend.numDataIds()).toBe(ids);
    x.dispose();
  });
});

describe('wasm GatherV2 along the first axis', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmKernels();
  });

  it('takes whole rows in index order, repeats allowed, as computed by hand', () => {
    const values = seededValues(6 * 2 * 3, 11);
    const x = tf.tensor(values, [6, 2, 3]);
    const order = [5, 0, 3, 3, 1];
    const y = tf.gather(x, tf.tensor1d(order, 'int32'));
    expect(y.shape).toEqual([5, 2, 3]);
    const expected = order.flatMap((row) => Array.from(values.slice(row * 6, row * 6 + 6)));
    expect(Array.from(y.dataSync())).toEqual(expected);
    tf.dispose([x, y]);
  });

  it('gathers int32 rows and 2-D index tensors', () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32');
    const y = tf.gather(x, tf.tensor2d([[2, 0], [1, 1]], [2, 2], 'int32'));
    expect(y.shape).toEqual([2, 2, 2]);
    expect(Array.from(y.dataSync())).toEqual([5, 6, 1, 2, 3, 4, 3, 4]);
    tf.dispose([x, y]);
  });

  it('refuses an index out of range and matches stock on other axes', () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    expect(() => tf.gather(x, tf.tensor1d([2], 'int32'))).toThrow(/not in \[0, 1\]/);
    expect(Array.from(tf.gather(x, tf.tensor1d([2, 0], 'int32'), 1).dataSync())).toEqual([3, 1, 6, 4]);
    x.dispose();
  });

  it('has gradients that flow through (embedding-style lookups)', () => {
    const table = tf.variable(tf.tensor2d([[1, 2], [3, 4], [5, 6]]));
    const { grads } = tf.variableGrads(() => tf.gather(table, tf.tensor1d([0, 2, 2], 'int32')).sum() as tf.Scalar, [table]);
    expect(Array.from(grads[table.name]!.dataSync())).toEqual([1, 1, 0, 0, 2, 2]);
    tf.dispose([table, grads[table.name]!]);
  });
});
