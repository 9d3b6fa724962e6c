/**
 * Shared helpers for the wasm kernel tests: seeded data, a float64 reference matrix product
 * written independently of tfjs, backend switching and leak accounting.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels, uninstallWasmKernels } from '../../../src/runtime/kernels/installWasmKernels.js';

/** Deterministic values in [-1, 1) (a small LCG, so tests do not depend on tfjs's RNG). */
export function seededValues(count: number, seed: number): Float32Array {
  const values = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/**
 * C = op(A) x op(B) in float64 with numpy-style broadcasting of the batch dimensions, where op
 * transposes the last two axes when asked. Returns the values and the output shape.
 */
export function referenceMatMul(
  a: Float32Array,
  aShape: number[],
  b: Float32Array,
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): { values: Float64Array; shape: number[] } {
  const aOuter = aShape.slice(0, -2);
  const bOuter = bShape.slice(0, -2);
  const [aRows, aCols] = aShape.slice(-2);
  const [bRows, bCols] = bShape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const rank = Math.max(aOuter.length, bOuter.length);
  const padA = [...Array(rank - aOuter.length).fill(1), ...aOuter];
  const padB = [...Array(rank - bOuter.length).fill(1), ...bOuter];
  const outer = padA.map((dim, i) => Math.max(dim, padB[i]));
  const batches = sizeOf(outer);
  const values = new Float64Array(batches * m * n);
  for (let batch = 0; batch < batches; batch++) {
    // Decompose the output batch index and map it onto each operand (size-1 axes repeat).
    let rest = batch;
    let aBatch = 0;
    let bBatch = 0;
    let aStride = 1;
    let bStride = 1;
    for (let d = rank - 1; d >= 0; d--) {
      const position = rest % outer[d];
      rest = Math.floor(rest / outer[d]);
      aBatch += (padA[d] === 1 ? 0 : position) * aStride;
      bBatch += (padB[d] === 1 ? 0 : position) * bStride;
      aStride *= padA[d];
      bStride *= padB[d];
    }
    const aBase = aBatch * aRows * aCols;
    const bBase = bBatch * bRows * bCols;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) {
          const aValue = transposeA ? a[aBase + p * aCols + i] : a[aBase + i * aCols + p];
          const bValue = transposeB ? b[bBase + j * bCols + p] : b[bBase + p * bCols + j];
          sum += aValue * bValue;
        }
        values[(batch * m + i) * n + j] = sum;
      }
    }
  }
  return { values, shape: [...outer, m, n] };
}

export function maxAbsDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) {
    return Number.POSITIVE_INFINITY;
  }
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const difference = Math.abs(actual[i] - expected[i]);
    worst = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : Math.max(worst, difference);
  }
  return worst;
}

export function maxAbs(values: ArrayLike<number>): number {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    largest = Math.max(largest, Math.abs(values[i]));
  }
  return largest;
}

/** |actual - expected| <= tolerance * max(1, max |expected|). */
export function closeRelative(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): boolean {
  return maxAbsDifference(actual, expected) <= tolerance * Math.max(1, maxAbs(expected));
}

/** Runs `compute` on the wasm backend with the stock kernels (mlspec's fixes removed meanwhile). */
export async function withStockWasmKernels<T>(compute: () => T): Promise<T> {
  await tf.setBackend('wasm');
  uninstallWasmKernels();
  try {
    return compute();
  } finally {
    installWasmKernels();
  }
}

export async function useWasmWithFixes(): Promise<void> {
  installWasmKernels();
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Live tensors in the engine and live data ids in the wasm backend. */
export function liveWasmCounts(): { tensors: number; dataIds: number } {
  return { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
}

/** Values of a tensor computed in a tidy scope, disposed afterwards. */
export function valuesOf(compute: () => tf.Tensor): { values: Float32Array; shape: number[] } {
  const result = tf.tidy(compute);
  const values = result.dataSync() as Float32Array;
  const shape = result.shape.slice();
  result.dispose();
  return { values: Float32Array.from(values), shape };
}
