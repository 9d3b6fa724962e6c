/**
 * GatherV2 on wasm along the first axis (how a training epoch takes its shuffled samples).
 * The stock kernel copies element by element in C++ with index arithmetic per element; taking
 * whole rows is one memory copy per index. Other axes and batch dimensions keep the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmHeapBackend, requireWasmKernelInput, wasmHeapByteOffset } from './wasmHeap.js';

export function createFastWasmGather(stockGather: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = requireWasmKernelInput(args.inputs, 'x');
    const indices = requireWasmKernelInput(args.inputs, 'indices');
    const attrs = args.attrs as unknown as { axis: number; batchDims: number };
    const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
    if (axis !== 0 || (attrs.batchDims ?? 0) !== 0 || x.dtype === 'string' || indices.dtype !== 'int32' || x.shape.length === 0) {
      return stockGather(args);
    }
    const backend = asWasmHeapBackend(args.backend);
    const rows = x.shape[0]!;
    const picks = backend.readSync(indices.dataId) as Int32Array;
    for (let i = 0; i < picks.length; i++) {
      const index = picks[i]!;
      if (!(index >= 0 && index < rows)) throw new Error(`GatherV2: the index value ${index} is not in [0, ${rows - 1}]`);
    }
    const rowShape = x.shape.slice(1);
    const out = backend.makeOutput([...indices.shape, ...rowShape], x.dtype);
    const rowBytes = tf.util.sizeFromShape(rowShape) * tf.util.bytesPerElement(x.dtype);
    // Read HEAPU8 and offsets only after makeOutput: an allocation may grow (and replace) the heap.
    const heap = backend.wasm.HEAPU8;
    const from = wasmHeapByteOffset(backend, x);
    const to = wasmHeapByteOffset(backend, out);
    for (let i = 0; i < picks.length; i++) {
      const start = from + picks[i]! * rowBytes;
      heap.copyWithin(to + i * rowBytes, start, start + rowBytes);
    }
    return out;
  };
}
