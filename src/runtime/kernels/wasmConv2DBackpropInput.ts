/**
 * Conv2DBackpropInput for the wasm backend, replacing the stock kernel, a scalar C++ loop
 * (tfjs-backend-wasm/src/cc/kernels/Conv2DBackpropInput.cc) that dominates the backward pass of
 * every convolution after the first. The input gradient is one matrix product and a scatter:
 *   cols[(n, oh, ow), (kh, kw, ci)] = dy[(n, oh, ow), co] x W[(kh, kw, ci), co]^T   (XNNPACK)
 *   dx[n, oh*sh + kh - top, ow*sw + kw - left, ci] += cols[...]                        (col2im)
 * in chunks of samples so that `cols` stays bounded. NCHW data keeps the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import {
  asWasmHeapBackend,
  createWasmHeapView,
  disposeWasmTemporary,
  releaseWasmHeapView,
  requireWasmKernelInput,
  type WasmHeapBackend,
} from './wasmHeap.js';

/** Most float32 elements in one chunk's column matrix (64 MiB). */
const WASM_CONV_COLUMN_CHUNK_ELEMENTS = 16 * 1024 * 1024;

interface WasmInputGradientChunk {
  dy: tf.TensorInfo;
  /** The filter as [1, outChannels, rows]. */
  filterT: tf.TensorInfo;
  dx: tf.TensorInfo;
  convInfo: tf.backend_util.Conv2DInfo;
  first: number;
  count: number;
}

/** dx += col2im(dy x W^T) over one chunk of samples. */
function accumulateWasmInputGradient(backend: WasmHeapBackend, plainMatMul: tf.KernelFunc, chunk: WasmInputGradientChunk): void {
  const { dy, filterT, dx, convInfo, first, count } = chunk;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = convInfo;
  const { strideHeight, strideWidth } = convInfo;
  const { top, left } = convInfo.padInfo;
  const rows = filterHeight * filterWidth * inChannels;
  const pixels = outHeight * outWidth;
  const dyChunk = createWasmHeapView(backend, dy, first * pixels * outChannels, [1, count * pixels, outChannels]);
  let columns: tf.TensorInfo | null = null;
  try {
    const inputs = { a: dyChunk, b: filterT };
    columns = plainMatMul({ inputs, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    const cols = backend.typedArrayFromHeap(columns);
    const gradients = backend.typedArrayFromHeap(dx);
    for (let s = 0; s < count; s++) {
      const sampleBase = (first + s) * inHeight * inWidth * inChannels;
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          const colBase = ((s * outHeight + oh) * outWidth + ow) * rows;
          for (let kh = 0; kh < filterHeight; kh++) {
            const ih = oh * strideHeight + kh - top;
            if (ih < 0 || ih >= inHeight) {
              continue;
            }
            for (let kw = 0; kw < filterWidth; kw++) {
              const iw = ow * strideWidth + kw - left;
              if (iw < 0 || iw >= inWidth) {
                continue;
              }
              const target = sampleBase + (ih * inWidth + iw) * inChannels;
              const source = colBase + (kh * filterWidth + kw) * inChannels;
              for (let ci = 0; ci < inChannels; ci++) {
                gradients[target + ci] += cols[source + ci];
              }
            }
          }
        }
      }
    }
  } finally {
    releaseWasmHeapView(backend, dyChunk);
    if (columns != null) {
      disposeWasmTemporary(backend, columns);
    }
  }
}

/**
 * The kernel; `stock` is wasm's own (kept for NCHW), `plainMatMul` wasm's stock BatchMatMul and
 * `transpose` its Transpose; `chunkElements` bounds the column matrix of one chunk.
 */
export function createWasmConv2DBackpropInput(
  stock: tf.KernelFunc,
  plainMatMul: tf.KernelFunc,
  transpose: tf.KernelFunc,
  chunkElements: number = WASM_CONV_COLUMN_CHUNK_ELEMENTS,
): tf.KernelFunc {
  return (params) => {
    const dy = requireWasmKernelInput(params.inputs, 'dy');
    const filter = requireWasmKernelInput(params.inputs, 'filter');
    const attrs = params.attrs ?? {};
    if (attrs.dataFormat === 'NCHW' || dy.dtype !== 'float32' || filter.dtype !== 'float32') {
      return stock(params);
    }
    const backend = asWasmHeapBackend(params.backend);
    type ConvInfoArgs = Parameters<typeof tf.backend_util.computeConv2DInfo>;
    const convInfo = tf.backend_util.computeConv2DInfo(
      attrs.inputShape as ConvInfoArgs[0],
      filter.shape as ConvInfoArgs[1],
      attrs.strides as ConvInfoArgs[2],
      1,
      attrs.pad as ConvInfoArgs[4],
      attrs.dimRoundingMode as ConvInfoArgs[5],
      false,
      'channelsLast',
    );
    const rows = convInfo.filterHeight * convInfo.filterWidth * convInfo.inChannels;
    const pixels = convInfo.outHeight * convInfo.outWidth;
    const samplesPerChunk = Math.max(1, Math.floor(chunkElements / Math.max(1, rows * pixels)));
    const filterMatrix = { dataId: filter.dataId, shape: [1, rows, convInfo.outChannels], dtype: filter.dtype };
    const filterT = transpose({ inputs: { x: filterMatrix }, backend, attrs: { perm: [0, 2, 1] } }) as tf.TensorInfo;
    const dx = backend.makeOutput(convInfo.inShape, 'float32');
    backend.typedArrayFromHeap(dx).fill(0);
    try {
      for (let first = 0; first < convInfo.batchSize; first += samplesPerChunk) {
        const count = Math.min(samplesPerChunk, convInfo.batchSize - first);
        accumulateWasmInputGradient(backend, plainMatMul, { dy, filterT, dx, convInfo, first, count });
      }
    } catch (error) {
      disposeWasmTemporary(backend, dx);
      throw error;
    } finally {
      disposeWasmTemporary(backend, filterT);
    }
    return dx;
  };
}
