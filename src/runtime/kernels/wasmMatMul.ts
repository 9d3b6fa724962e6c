/**
 * Faster BatchMatMul and _FusedMatMul for the wasm backend.
 *
 * tfjs-backend-wasm 4.22 sends a product to XNNPACK (fast) only when neither operand is
 * transposed and both have batch size 1; everything else (every backward pass of a dense layer,
 * every attention product) takes a scalar C++ loop about ten times slower
 * (tfjs-backend-wasm/src/cc/batch_mat_mul_impl.cc). That loop also adds a rank-1 bias wrongly
 * to every row but the first. These wrappers reshape every product into that fast case and
 * call the stock kernel functions:
 *   - transposed operands are transposed explicitly first (wasm's Transpose kernel);
 *   - [b, m, k] x [k, n] (B broadcast) becomes one [b*m, k] x [k, n] product;
 *   - true batched products run one fast product per batch on zero-copy views of the operands.
 * Small batched products without bias keep the stock loop, which is faster below a size.
 */
import * as tf from '@tensorflow/tfjs';
import {
  asWasmHeapBackend,
  createWasmHeapView,
  disposeWasmTemporary,
  releaseWasmHeapView,
  requireWasmKernelInput,
  wasmHeapByteOffset,
  type WasmHeapBackend,
} from './wasmHeap.js';

type WasmKernelParams = Parameters<tf.KernelFunc>[0];

/**
 * Below this many multiply-adds per matrix (m*k*n), a batched product without bias is left to
 * the stock loop: per-batch XNNPACK setup costs more than it saves (measured: bench/kernels.mjs).
 */
export const WASM_BATCHED_MATMUL_MIN_WORK = 8192;

interface WasmMatMulGeometry {
  m: number;
  k: number;
  n: number;
  batchA: number;
  batchB: number;
  outerA: number[];
  outerB: number[];
  outerOut: number[];
}

function wasmMatMulGeometry(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): WasmMatMulGeometry {
  const aRank = aShape.length;
  const bRank = bShape.length;
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  return {
    m: transposeA ? aShape[aRank - 1] : aShape[aRank - 2],
    k: transposeA ? aShape[aRank - 2] : aShape[aRank - 1],
    n: transposeB ? bShape[bRank - 2] : bShape[bRank - 1],
    batchA: tf.util.sizeFromShape(outerA),
    batchB: tf.util.sizeFromShape(outerB),
    outerA,
    outerB,
    outerOut: tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB),
  };
}

/** Index of the operand matrix that output matrix `outIndex` reads, under batch broadcasting. */
function wasmBroadcastBatchIndex(outIndex: number, outerOut: number[], operandOuter: number[]): number {
  const offset = outerOut.length - operandOuter.length;
  let remaining = outIndex;
  let index = 0;
  let stride = 1;
  for (let d = outerOut.length - 1; d >= 0; d--) {
    const position = remaining % outerOut[d];
    remaining = Math.floor(remaining / outerOut[d]);
    const operandDim = d - offset >= 0 ? operandOuter[d - offset] : 1;
    if (operandDim > 1) {
      index += position * stride;
    }
    stride *= operandDim;
  }
  return index;
}

/** A non-transposed [1, m, k] x [1, k, n] product by a stock kernel: a fresh [1, m, n] tensor. */
type WasmPlainProduct = (a: tf.TensorInfo, b: tf.TensorInfo) => tf.TensorInfo;

interface WasmMatMulRequest {
  backend: WasmHeapBackend;
  transpose: tf.KernelFunc;
  a: tf.TensorInfo;
  b: tf.TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  geometry: WasmMatMulGeometry;
  product: WasmPlainProduct;
}

/** [batch, rows, cols] -> [batch, cols, rows], always a fresh allocation. */
function wasmTransposeInner(backend: WasmHeapBackend, transpose: tf.KernelFunc, x: tf.TensorInfo): tf.TensorInfo {
  return transpose({ inputs: { x }, backend, attrs: { perm: [0, 2, 1] } }) as tf.TensorInfo;
}

/** Runs the product on XNNPACK's fast path; returns a fresh tensor of shape [...outerOut, m, n]. */
function runFastWasmMatMul(request: WasmMatMulRequest): tf.TensorInfo {
  const { backend, transpose, a, b, geometry, product } = request;
  const { m, k, n, batchA, batchB, outerOut } = geometry;
  const temporaries: tf.TensorInfo[] = [];
  try {
    // Operands as non-transposed [batch, m, k] and [batch, k, n] (same data when not transposed).
    let plainA: tf.TensorInfo = { dataId: a.dataId, shape: [batchA, m, k], dtype: a.dtype };
    if (request.transposeA) {
      plainA = wasmTransposeInner(backend, transpose, { dataId: a.dataId, shape: [batchA, k, m], dtype: a.dtype });
      temporaries.push(plainA);
    }
    let plainB: tf.TensorInfo = { dataId: b.dataId, shape: [batchB, k, n], dtype: b.dtype };
    if (request.transposeB) {
      plainB = wasmTransposeInner(backend, transpose, { dataId: b.dataId, shape: [batchB, n, k], dtype: b.dtype });
      temporaries.push(plainB);
    }
    const outShape = [...outerOut, m, n];
    if (batchB === 1) {
      // One product: stack A's matrices into rows; B is shared.
      const stackedA = { dataId: plainA.dataId, shape: [1, batchA * m, k], dtype: a.dtype };
      const out = product(stackedA, { dataId: plainB.dataId, shape: [1, k, n], dtype: b.dtype });
      out.shape = outShape;
      return out;
    }
    return runWasmMatMulPerBatch(backend, plainA, plainB, geometry, product, outShape);
  } finally {
    for (const temporary of temporaries) {
      disposeWasmTemporary(backend, temporary);
    }
  }
}

function runWasmMatMulPerBatch(
  backend: WasmHeapBackend,
  plainA: tf.TensorInfo,
  plainB: tf.TensorInfo,
  geometry: WasmMatMulGeometry,
  product: WasmPlainProduct,
  outShape: number[],
): tf.TensorInfo {
  const { m, k, n, outerA, outerB, outerOut } = geometry;
  const batchOut = tf.util.sizeFromShape(outerOut);
  const out = backend.makeOutput([batchOut, m, n], 'float32');
  const matrixBytes = m * n * 4;
  try {
    for (let i = 0; i < batchOut; i++) {
      const aView = createWasmHeapView(backend, plainA, wasmBroadcastBatchIndex(i, outerOut, outerA) * m * k, [1, m, k]);
      const bView = createWasmHeapView(backend, plainB, wasmBroadcastBatchIndex(i, outerOut, outerB) * k * n, [1, k, n]);
      let part: tf.TensorInfo;
      try {
        part = product(aView, bView);
      } finally {
        releaseWasmHeapView(backend, aView);
        releaseWasmHeapView(backend, bView);
      }
      // Take HEAPU8 only now: the allocations above may have grown the heap and replaced its buffer.
      const source = wasmHeapByteOffset(backend, part);
      const target = wasmHeapByteOffset(backend, out) + i * matrixBytes;
      backend.wasm.HEAPU8.copyWithin(target, source, source + matrixBytes);
      disposeWasmTemporary(backend, part);
    }
  } catch (error) {
    disposeWasmTemporary(backend, out);
    throw error;
  }
  out.shape = outShape;
  return out;
}

function wasmMatMulIsPlainFloat(a: tf.TensorInfo, b: tf.TensorInfo, geometry: WasmMatMulGeometry): boolean {
  const { m, k, n, batchA, batchB } = geometry;
  return a.dtype === 'float32' && b.dtype === 'float32' && m * k * n * batchA * batchB > 0;
}

/**
 * The stock kernel flattens the batch axes of each operand and pairs matrices by flat index,
 * which is right only when both have the same batch axes or one has a single matrix
 * ([2, 1] against [1, 3] would pair wrongly).
 */
function stockWasmMatMulBroadcasts(geometry: WasmMatMulGeometry): boolean {
  const { batchA, batchB, outerOut } = geometry;
  const sameOrSingle = batchA === batchB || batchA === 1 || batchB === 1;
  return sameOrSingle && tf.util.sizeFromShape(outerOut) === Math.max(batchA, batchB);
}

/** BatchMatMul that routes every large enough product to XNNPACK; `stock` is wasm's own. */
export function createFastWasmBatchMatMul(stock: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (params: WasmKernelParams) => {
    const a = requireWasmKernelInput(params.inputs, 'a');
    const b = requireWasmKernelInput(params.inputs, 'b');
    const transposeA = params.attrs?.transposeA === true;
    const transposeB = params.attrs?.transposeB === true;
    const geometry = wasmMatMulGeometry(a.shape, b.shape, transposeA, transposeB);
    const small = geometry.m * geometry.k * geometry.n < WASM_BATCHED_MATMUL_MIN_WORK;
    if (!wasmMatMulIsPlainFloat(a, b, geometry) || (geometry.batchB > 1 && small && stockWasmMatMulBroadcasts(geometry))) {
      return stock(params);
    }
    const backend = asWasmHeapBackend(params.backend);
    const product: WasmPlainProduct = (plainA, plainB) =>
      stock({ inputs: { a: plainA, b: plainB }, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    return runFastWasmMatMul({ backend, transpose, a, b, transposeA, transposeB, geometry, product });
  };
}

/**
 * _FusedMatMul (product + rank-1 bias + activation) on XNNPACK's fast path. Always taken, small
 * or not, because the stock loop adds the bias wrongly. The activation is elementwise and the
 * bias runs along the last axis, so applying both per product is the same as applying them once.
 */
export function createFastWasmFusedMatMul(stock: tf.KernelFunc, transpose: tf.KernelFunc): tf.KernelFunc {
  return (params: WasmKernelParams) => {
    const a = requireWasmKernelInput(params.inputs, 'a');
    const b = requireWasmKernelInput(params.inputs, 'b');
    const { bias, preluActivationWeights } = params.inputs;
    const attrs = params.attrs ?? {};
    const transposeA = attrs.transposeA === true;
    const transposeB = attrs.transposeB === true;
    const geometry = wasmMatMulGeometry(a.shape, b.shape, transposeA, transposeB);
    // PReLU weights are applied as weights[i % size] over the output; per-product application
    // matches that only when their size divides one output matrix.
    const preluSize = preluActivationWeights == null ? 1 : tf.util.sizeFromShape(preluActivationWeights.shape);
    const preluSplits = (geometry.m * geometry.n) % preluSize === 0;
    if (!wasmMatMulIsPlainFloat(a, b, geometry) || (geometry.batchB > 1 && !preluSplits)) {
      return stock(params);
    }
    const backend = asWasmHeapBackend(params.backend);
    const product: WasmPlainProduct = (plainA, plainB) =>
      stock({
        inputs: { a: plainA, b: plainB, bias, preluActivationWeights },
        backend,
        attrs: { ...attrs, transposeA: false, transposeB: false },
      }) as tf.TensorInfo;
    return runFastWasmMatMul({ backend, transpose, a, b, transposeA, transposeB, geometry, product });
  };
}
