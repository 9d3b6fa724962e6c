/**
 * MaxPoolGrad for the wasm backend, replacing the stock one, which is wrong in tfjs-backend-wasm
 * 4.22: it starts each window's maximum at std::numeric_limits<float>::min() (the smallest
 * positive float, not the lowest), so a window whose inputs are all negative sends its gradient
 * to the wrong element, and ties go to the last maximum where the cpu backend picks the first.
 * Here: each output's gradient is added to the first maximum of its window, as on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmHeapBackend, requireWasmKernelInput } from './wasmHeap.js';

export const wasmMaxPoolGrad: tf.KernelFunc = (params) => {
  const backend = asWasmHeapBackend(params.backend);
  const dy = requireWasmKernelInput(params.inputs, 'dy');
  const input = requireWasmKernelInput(params.inputs, 'input');
  const attrs = params.attrs ?? {};
  type PoolInfoArgs = Parameters<typeof tf.backend_util.computePool2DInfo>;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as PoolInfoArgs[0],
    attrs.filterSize as PoolInfoArgs[1],
    attrs.strides as PoolInfoArgs[2],
    1,
    attrs.pad as PoolInfoArgs[4],
    attrs.dimRoundingMode as PoolInfoArgs[5],
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  const dx = backend.makeOutput(input.shape, 'float32');
  // Views only after the allocation above, which may have grown the heap.
  const gradients = backend.typedArrayFromHeap(dx);
  const xs = backend.typedArrayFromHeap(input);
  const dys = backend.typedArrayFromHeap(dy);
  gradients.fill(0);
  for (let b = 0; b < batchSize; b++) {
    const sampleBase = b * inHeight * inWidth * inChannels;
    for (let yR = 0; yR < outHeight; yR++) {
      const rowStart = Math.max(0, yR * strideHeight - top);
      const rowEnd = Math.min(inHeight, yR * strideHeight - top + effectiveFilterHeight);
      for (let yC = 0; yC < outWidth; yC++) {
        const colStart = Math.max(0, yC * strideWidth - left);
        const colEnd = Math.min(inWidth, yC * strideWidth - left + effectiveFilterWidth);
        const dyBase = ((b * outHeight + yR) * outWidth + yC) * inChannels;
        for (let d = 0; d < inChannels; d++) {
          let maxValue = Number.NEGATIVE_INFINITY;
          let maxIndex = -1;
          for (let xR = rowStart; xR < rowEnd; xR++) {
            for (let xC = colStart; xC < colEnd; xC++) {
              const index = sampleBase + (xR * inWidth + xC) * inChannels + d;
              if (xs[index] > maxValue) {
                maxValue = xs[index];
                maxIndex = index;
              }
            }
          }
          if (maxIndex >= 0) {
            gradients[maxIndex] += dys[dyBase + d];
          }
        }
      }
    }
  }
  return dx;
};
