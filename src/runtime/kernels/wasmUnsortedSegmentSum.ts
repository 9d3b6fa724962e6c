/**
 * UnsortedSegmentSum for the wasm backend (missing in tfjs-backend-wasm 4.22, tfjs issue 8082):
 * the gradient of gather, hence of every Embedding layer. out[s] = sum of x[i] over the i with
 * segmentIds[i] = s; ids outside [0, numSegments) are dropped, as in TensorFlow.
 * One pass over x, directly on the wasm heap.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmHeapBackend, requireWasmKernelInput } from './wasmHeap.js';

export const wasmUnsortedSegmentSum: tf.KernelFunc = (params) => {
  const backend = asWasmHeapBackend(params.backend);
  const x = requireWasmKernelInput(params.inputs, 'x');
  const segmentIds = requireWasmKernelInput(params.inputs, 'segmentIds');
  const numSegments = Number(params.attrs?.numSegments);
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32 data, not ${x.dtype}`);
  }
  const idsRank = segmentIds.shape.length;
  const rowShape = x.shape.slice(idsRank);
  const rowSize = tf.util.sizeFromShape(rowShape);
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views only after the allocation above, which may have grown the heap.
  const sums = backend.typedArrayFromHeap(out);
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  sums.fill(0);
  for (let i = 0; i < rows; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= numSegments) {
      continue;
    }
    const source = i * rowSize;
    const target = segment * rowSize;
    for (let j = 0; j < rowSize; j++) {
      sums[target + j] += values[source + j];
    }
  }
  return out;
};
