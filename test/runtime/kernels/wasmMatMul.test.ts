import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WASM_BATCHED_MATMUL_MIN_WORK } from '../../../src/runtime/kernels/wasmMatMul.js';
import {
  closeRelative,
  liveWasmCounts,
  maxAbsDifference,
  referenceMatMul,
  seededValues,
  sizeOf,
  useWasmWithFixes,
  valuesOf,
  withStockWasmKernels,
} from './wasm-test-support.js';

interface ProductCase {
  name: string;
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const PRODUCTS: ProductCase[] = [
  { name: '2-D', aShape: [33, 40], bShape: [40, 17], transposeA: false, transposeB: false },
  { name: '2-D, A transposed', aShape: [40, 33], bShape: [40, 17], transposeA: true, transposeB: false },
  { name: '2-D, B transposed', aShape: [33, 40], bShape: [17, 40], transposeA: false, transposeB: true },
  { name: '2-D, both transposed', aShape: [40, 33], bShape: [17, 40], transposeA: true, transposeB: true },
  { name: 'rank 3 x rank 2 (B broadcast)', aShape: [3, 9, 20], bShape: [20, 7], transposeA: false, transposeB: false },
  { name: 'rank 3 x [1, k, n], both transposed', aShape: [3, 20, 9], bShape: [1, 7, 20], transposeA: true, transposeB: true },
  { name: 'batched rank 3', aShape: [4, 24, 32], bShape: [4, 32, 20], transposeA: false, transposeB: false },
  { name: 'batched rank 3, A transposed', aShape: [4, 32, 24], bShape: [4, 32, 20], transposeA: true, transposeB: false },
  { name: 'batched rank 3, B transposed', aShape: [4, 24, 32], bShape: [4, 20, 32], transposeA: false, transposeB: true },
  { name: 'batched rank 4, B transposed', aShape: [2, 3, 24, 32], bShape: [2, 3, 20, 32], transposeA: false, transposeB: true },
  { name: 'A broadcast over B batch', aShape: [1, 24, 32], bShape: [3, 32, 20], transposeA: false, transposeB: false },
  { name: 'small batched (stock loop)', aShape: [6, 5, 7], bShape: [6, 3, 7], transposeA: false, transposeB: true },
];

function matMulOf(product: ProductCase, a: Float32Array, b: Float32Array): () => tf.Tensor {
  return () => tf.matMul(tf.tensor(a, product.aShape), tf.tensor(b, product.bShape), product.transposeA, product.transposeB);
}

beforeAll(useWasmWithFixes);

describe('patched BatchMatMul on wasm', () => {
  it('keeps small batched products on the stock loop, so that case exercises it', () => {
    expect(5 * 7 * 3).toBeLessThan(WASM_BATCHED_MATMUL_MIN_WORK);
    expect(24 * 32 * 20).toBeGreaterThanOrEqual(WASM_BATCHED_MATMUL_MIN_WORK);
  });

  for (const [index, product] of PRODUCTS.entries()) {
    it(`${product.name}: equals an independent float64 product and the stock kernel`, async () => {
      const a = seededValues(sizeOf(product.aShape), 2 * index + 1);
      const b = seededValues(sizeOf(product.bShape), 2 * index + 2);
      const expected = referenceMatMul(a, product.aShape, b, product.bShape, product.transposeA, product.transposeB);
      await useWasmWithFixes();
      const before = liveWasmCounts();
      const patched = valuesOf(matMulOf(product, a, b));
      expect(liveWasmCounts()).toEqual(before);
      expect(patched.shape).toEqual(expected.shape);
      expect(maxAbsDifference(patched.values, expected.values)).toBeLessThan(1e-5);

      const stock = await withStockWasmKernels(() => valuesOf(matMulOf(product, a, b)));
      const anyTransposed = product.transposeA || product.transposeB;
      // XNNPACK sums in another order than the stock loop, so only non-transposed plain products match bit for bit.
      if (!anyTransposed && sizeOf(product.bShape.slice(0, -2)) <= 1) {
        expect(Array.from(patched.values)).toEqual(Array.from(stock.values));
      } else {
        expect(maxAbsDifference(patched.values, stock.values)).toBeLessThan(1e-5);
      }
    });
  }

  it('broadcasts batch axes of rank 4 correctly, where the stock kernel does not', async () => {
    await useWasmWithFixes();
    // Small matrices (below the per-batch threshold) and large ones take different paths.
    for (const [m, k, n] of [[4, 6, 5], [24, 32, 20]]) {
      const aShape = [2, 1, m, k];
      const bShape = [1, 3, k, n];
      const a = seededValues(sizeOf(aShape), 101 + m);
      const b = seededValues(sizeOf(bShape), 102 + m);
      const expected = referenceMatMul(a, aShape, b, bShape, false, false);
      const patched = valuesOf(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape)));
      expect(patched.shape).toEqual([2, 3, m, n]);
      expect(maxAbsDifference(patched.values, expected.values)).toBeLessThan(1e-5);
    }
  });

  it('gives the same gradients as the cpu backend, without leaking', async () => {
    // tfjs-core's BatchMatMul gradient does not reduce broadcast batch axes (on any backend), so no broadcasting here.
    const cases: ProductCase[] = [PRODUCTS[0], PRODUCTS[3], PRODUCTS[7], PRODUCTS[9], PRODUCTS[11]];
    for (const [index, product] of cases.entries()) {
      const a = seededValues(sizeOf(product.aShape), 200 + index);
      const b = seededValues(sizeOf(product.bShape), 300 + index);
      const gradients = (): tf.Tensor[] => {
        const f = (x: tf.Tensor, y: tf.Tensor): tf.Tensor => tf.sum(tf.square(tf.matMul(x, y, product.transposeA, product.transposeB)));
        return tf.grads(f)([tf.tensor(a, product.aShape), tf.tensor(b, product.bShape)]);
      };
      await tf.setBackend('cpu');
      const onCpu = gradients().map((g) => g.dataSync());
      await useWasmWithFixes();
      const before = liveWasmCounts();
      const onWasm = tf.tidy(() => gradients().map((g) => g.dataSync()));
      expect(liveWasmCounts()).toEqual(before);
      expect(closeRelative(onWasm[0], onCpu[0], 1e-5)).toBe(true);
      expect(closeRelative(onWasm[1], onCpu[1], 1e-5)).toBe(true);
    }
  });
});

describe('patched _FusedMatMul on wasm', () => {
  const activations: Array<[tf.fused.Activation, (v: number) => number]> = [
    ['linear', (v) => v],
    ['relu', (v) => Math.max(0, v)],
    ['relu6', (v) => Math.min(6, Math.max(0, v))],
    ['elu', (v) => (v >= 0 ? v : Math.exp(v) - 1)],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ['leakyrelu', (v) => (v >= 0 ? v : 0.3 * v)],
  ];
  const shapes: ProductCase[] = [PRODUCTS[0], PRODUCTS[3], PRODUCTS[6], PRODUCTS[9]];

  for (const [activation, apply] of activations) {
    it(`adds the bias and applies ${activation} like an independent computation`, async () => {
      await useWasmWithFixes();
      for (const [index, product] of shapes.entries()) {
        const a = seededValues(sizeOf(product.aShape), 400 + index);
        const b = seededValues(sizeOf(product.bShape), 500 + index);
        const plain = referenceMatMul(a, product.aShape, b, product.bShape, product.transposeA, product.transposeB);
        const n = plain.shape[plain.shape.length - 1];
        const bias = seededValues(n, 600 + index);
        const expected = plain.values.map((v, i) => apply(v + bias[i % n]));
        const before = liveWasmCounts();
        const fused = valuesOf(() =>
          tf.fused.matMul({
            a: tf.tensor(a, product.aShape),
            b: tf.tensor(b, product.bShape),
            transposeA: product.transposeA,
            transposeB: product.transposeB,
            bias: tf.tensor1d(bias),
            activation,
            leakyreluAlpha: 0.3,
          }),
        );
        expect(liveWasmCounts()).toEqual(before);
        expect(fused.shape).toEqual(plain.shape);
        expect(maxAbsDifference(fused.values, expected)).toBeLessThan(1e-5);
      }
    });
  }

  it('applies prelu weights along the last axis', async () => {
    await useWasmWithFixes();
    const product = PRODUCTS[6];
    const a = seededValues(sizeOf(product.aShape), 700);
    const b = seededValues(sizeOf(product.bShape), 701);
    const plain = referenceMatMul(a, product.aShape, b, product.bShape, false, false);
    const n = plain.shape[plain.shape.length - 1];
    const alpha = seededValues(n, 702);
    const expected = plain.values.map((v, i) => (v >= 0 ? v : alpha[i % n] * v));
    const fused = valuesOf(() =>
      tf.fused.matMul({
        a: tf.tensor(a, product.aShape),
        b: tf.tensor(b, product.bShape),
        activation: 'prelu',
        preluActivationWeights: tf.tensor1d(alpha),
      }),
    );
    expect(maxAbsDifference(fused.values, expected)).toBeLessThan(1e-5);
  });

  it('matches the stock kernel bit for bit on its own fast path (2-D, no transpose)', async () => {
    const product = PRODUCTS[0];
    const a = seededValues(sizeOf(product.aShape), 800);
    const b = seededValues(sizeOf(product.bShape), 801);
    const bias = seededValues(product.bShape[1], 802);
    const run = (): { values: Float32Array } =>
      valuesOf(() =>
        tf.fused.matMul({ a: tf.tensor(a, product.aShape), b: tf.tensor(b, product.bShape), bias: tf.tensor1d(bias), activation: 'relu' }),
      );
    await useWasmWithFixes();
    const patched = run();
    const stock = await withStockWasmKernels(run);
    expect(Array.from(patched.values)).toEqual(Array.from(stock.values));
  });

  it('trains a dense layer with the same gradients as the cpu backend', async () => {
    const xValues = seededValues(16 * 12, 900);
    const gradientsOn = async (backend: string): Promise<Float32Array[]> => {
      await tf.setBackend(backend);
      const kernel = tf.tidy(() => tf.variable(tf.tensor(seededValues(12 * 5, 901), [12, 5])));
      const bias = tf.tidy(() => tf.variable(tf.tensor1d(seededValues(5, 902))));
      const { grads, value } = tf.variableGrads(
        () => tf.sum(tf.square(tf.fused.matMul({ a: tf.tensor(xValues, [16, 12]), b: kernel, bias, activation: 'relu' }))),
        [kernel, bias],
      );
      const result = [grads[kernel.name], grads[bias.name]].map((g) => Float32Array.from(g.dataSync()));
      tf.dispose([kernel, bias, value, ...Object.values(grads)]);
      return result;
    };
    const onCpu = await gradientsOn('cpu');
    await useWasmWithFixes();
    const before = liveWasmCounts();
    const onWasm = await gradientsOn('wasm');
    expect(liveWasmCounts()).toEqual(before);
    expect(closeRelative(onWasm[0], onCpu[0], 1e-5)).toBe(true);
    expect(closeRelative(onWasm[1], onCpu[1], 1e-5)).toBe(true);
  });
});
