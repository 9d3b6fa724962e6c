/**
 * Conv2DBackpropFilter for the wasm backend (missing in tfjs-backend-wasm 4.22, tfjs issue 8474:
 * every Conv1D/Conv2D layer fails in its first backward pass).
 *
 * The filter gradient is one matrix product: with the input's patches laid out as
 * patchesT[(kh, kw, ci), (n, oh, ow)] and dy as [(n, oh, ow), co],
 *   dW[(kh, kw, ci), co] = patchesT x dy,
 * which runs on XNNPACK's fast path. Patches are built in chunks of samples so that the
 * temporary stays bounded; NCHW data is delegated to the cpu kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { delegateWasmKernelToCpu } from './wasmCpuDelegate.js';
import {
  asWasmHeapBackend,
  createWasmHeapView,
  disposeWasmTemporary,
  releaseWasmHeapView,
  requireWasmKernelInput,
  type WasmHeapBackend,
} from './wasmHeap.js';

/** Most float32 elements in one chunk's patch matrix (64 MiB). */
const WASM_CONV_PATCH_CHUNK_ELEMENTS = 16 * 1024 * 1024;

/** Fills patchesT (rows x chunkSamples*outH*outW) for samples [first, first + count). */
function fillWasmConvPatches(
  backend: WasmHeapBackend,
  x: tf.TensorInfo,
  patches: tf.TensorInfo,
  convInfo: tf.backend_util.Conv2DInfo,
  first: number,
  count: number,
): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } =
    convInfo;
  const { top, left } = convInfo.padInfo;
  const xs = backend.typedArrayFromHeap(x);
  const out = backend.typedArrayFromHeap(patches);
  const columns = count * outHeight * outWidth;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      for (let ci = 0; ci < inChannels; ci++) {
        const row = ((kh * filterWidth + kw) * inChannels + ci) * columns;
        for (let s = 0; s < count; s++) {
          for (let oh = 0; oh < outHeight; oh++) {
            const base = row + (s * outHeight + oh) * outWidth;
            const ih = oh * strideHeight + kh - top;
            if (ih < 0 || ih >= inHeight) {
              out.fill(0, base, base + outWidth);
              continue;
            }
            const xRow = ((first + s) * inHeight + ih) * inWidth * inChannels + ci;
            for (let ow = 0; ow < outWidth; ow++) {
              const iw = ow * strideWidth + kw - left;
              out[base + ow] = iw >= 0 && iw < inWidth ? xs[xRow + iw * inChannels] : 0;
            }
          }
        }
      }
    }
  }
}

/**
 * The kernel; `plainMatMul` is wasm's stock BatchMatMul (used only on its fast path) and
 * `chunkElements` bounds the patch matrix of one chunk.
 */
export function createWasmConv2DBackpropFilter(
  plainMatMul: tf.KernelFunc,
  chunkElements: number = WASM_CONV_PATCH_CHUNK_ELEMENTS,
): tf.KernelFunc {
  const onCpu = delegateWasmKernelToCpu('Conv2DBackpropFilter');
  return (params) => {
    const x = requireWasmKernelInput(params.inputs, 'x');
    const dy = requireWasmKernelInput(params.inputs, 'dy');
    const attrs = params.attrs ?? {};
    if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32' || dy.dtype !== 'float32') {
      return onCpu(params);
    }
    const backend = asWasmHeapBackend(params.backend);
    type ConvInfoArgs = Parameters<typeof tf.backend_util.computeConv2DInfo>;
    const convInfo = tf.backend_util.computeConv2DInfo(
      x.shape as ConvInfoArgs[0],
      attrs.filterShape as ConvInfoArgs[1],
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
    const out = backend.makeOutput(convInfo.filterShape, 'float32');
    backend.typedArrayFromHeap(out).fill(0);
    try {
      for (let first = 0; first < convInfo.batchSize; first += samplesPerChunk) {
        const count = Math.min(samplesPerChunk, convInfo.batchSize - first);
        accumulateWasmFilterGradient(backend, plainMatMul, { x, dy, out, convInfo, first, count });
      }
    } catch (error) {
      disposeWasmTemporary(backend, out);
      throw error;
    }
    return out;
  };
}

interface WasmFilterGradientChunk {
  x: tf.TensorInfo;
  dy: tf.TensorInfo;
  out: tf.TensorInfo;
  convInfo: tf.backend_util.Conv2DInfo;
  first: number;
  count: number;
}

/** out += patchesT x dy over one chunk of samples. */
function accumulateWasmFilterGradient(backend: WasmHeapBackend, plainMatMul: tf.KernelFunc, chunk: WasmFilterGradientChunk): void {
  const { x, dy, out, convInfo, first, count } = chunk;
  const rows = convInfo.filterHeight * convInfo.filterWidth * convInfo.inChannels;
  const pixels = convInfo.outHeight * convInfo.outWidth;
  const columns = count * pixels;
  const patches = backend.makeOutput([1, rows, columns], 'float32');
  const dyChunk = createWasmHeapView(backend, dy, first * pixels * convInfo.outChannels, [1, columns, convInfo.outChannels]);
  let part: tf.TensorInfo | null = null;
  try {
    fillWasmConvPatches(backend, x, patches, convInfo, first, count);
    const inputs = { a: patches, b: dyChunk };
    part = plainMatMul({ inputs, backend, attrs: { transposeA: false, transposeB: false } }) as tf.TensorInfo;
    const sums = backend.typedArrayFromHeap(out);
    const partSums = backend.typedArrayFromHeap(part);
    for (let i = 0; i < sums.length; i++) {
      sums[i] += partSums[i];
    }
  } finally {
    releaseWasmHeapView(backend, dyChunk);
    disposeWasmTemporary(backend, patches);
    if (part != null) {
      disposeWasmTemporary(backend, part);
    }
  }
}
