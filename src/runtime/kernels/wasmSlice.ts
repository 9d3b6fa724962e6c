/**
 * Slice on wasm. The stock kernel first copies the WHOLE input out of the wasm heap
 * (backend.readSync) and then picks the slice in JavaScript, so slicing one batch of 128 rows
 * out of the training data copied all of it, every step. A contiguous slice (any slice along
 * the first axis is one) is a single copy of just its bytes inside the heap; other slices keep
 * the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmHeapBackend, requireWasmKernelInput, wasmHeapByteOffset } from './wasmHeap.js';

export function createFastWasmSlice(stockSlice: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = requireWasmKernelInput(args.inputs, 'x');
    const attrs = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin, attrs.size);
    if (x.dtype === 'string' || !tf.slice_util.isSliceContinous(x.shape, begin, size)) return stockSlice(args);
    const backend = asWasmHeapBackend(args.backend);
    const out = backend.makeOutput(size, x.dtype);
    const bytesPerElement = tf.util.bytesPerElement(x.dtype);
    const first = tf.slice_util.computeFlatOffset(begin, tf.util.computeStrides(x.shape));
    const length = tf.util.sizeFromShape(size);
    // Read HEAPU8 only after makeOutput: an allocation may grow (and replace) the heap.
    const from = wasmHeapByteOffset(backend, x) + first * bytesPerElement;
    backend.wasm.HEAPU8.copyWithin(wasmHeapByteOffset(backend, out), from, from + length * bytesPerElement);
    return out;
  };
}
