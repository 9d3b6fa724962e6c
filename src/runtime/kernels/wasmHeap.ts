/**
 * The few internals of tfjs-backend-wasm 4.22's BackendWasm that mlspec's wasm kernels use:
 * tensor data lives in the module's linear memory (HEAPU8) at `memoryOffset`, and each tensor is
 * registered with the C++ side under a numeric `id`. Typed structurally (not imported from the
 * package) so this file stands alone; see backend_wasm.js in @tensorflow/tfjs-backend-wasm.
 */
import type * as tf from '@tensorflow/tfjs';

type WasmDataId = object;

interface WasmTensorRecord {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: tf.DataType;
  refCount: number;
}

export interface WasmHeapBackend {
  wasm: { HEAPU8: Uint8Array; tfjs: { disposeData(id: number): void } };
  dataIdMap: {
    get(dataId: WasmDataId): WasmTensorRecord | undefined;
    has(dataId: WasmDataId): boolean;
    delete(dataId: WasmDataId): boolean;
  };
  /** Allocates on the heap unless `memoryOffset` is given, in which case it only registers it. */
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number, values?: tf.backend_util.BackendValues): tf.TensorInfo;
  disposeData(dataId: WasmDataId, force?: boolean): boolean;
  /** A live view of the tensor's memory; invalid after any allocation (the heap may grow). */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  readSync(dataId: WasmDataId): tf.backend_util.BackendValues;
  numDataIds(): number;
}

/** The backend argument of a wasm kernel function, with the internals above. */
export function asWasmHeapBackend(backend: unknown): WasmHeapBackend {
  const candidate = backend as Partial<WasmHeapBackend> | null;
  if (candidate == null || candidate.wasm == null || candidate.dataIdMap == null || typeof candidate.makeOutput !== 'function') {
    throw new Error('mlspec wasm kernels: expected the wasm backend of @tensorflow/tfjs-backend-wasm 4.22');
  }
  return candidate as WasmHeapBackend;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function wasmHeapByteOffset(backend: WasmHeapBackend, info: tf.TensorInfo): number {
  const record = backend.dataIdMap.get(info.dataId);
  if (record == null) {
    throw new Error('mlspec wasm kernels: tensor is not on the wasm backend');
  }
  return record.memoryOffset;
}

/**
 * A tensor that aliases `shape`-many float32 elements of `source`, starting `elementOffset`
 * elements in, without copying. It must be released with releaseWasmHeapView, never disposed:
 * disposing would free memory that belongs to `source`.
 */
export function createWasmHeapView(
  backend: WasmHeapBackend,
  source: tf.TensorInfo,
  elementOffset: number,
  shape: number[],
): tf.TensorInfo {
  const byteOffset = wasmHeapByteOffset(backend, source) + elementOffset * 4;
  return backend.makeOutput(shape, source.dtype, byteOffset);
}

/** Unregisters a view from JS and C++ (which also drops any XNNPACK operator cached on its id). */
export function releaseWasmHeapView(backend: WasmHeapBackend, view: tf.TensorInfo): void {
  const record = backend.dataIdMap.get(view.dataId);
  if (record == null) {
    return;
  }
  backend.dataIdMap.delete(view.dataId);
  backend.wasm.tfjs.disposeData(record.id);
}

/** Releases a kernel's intermediate result (a real allocation, unlike a view). */
export function disposeWasmTemporary(backend: WasmHeapBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** A kernel input that must be present. */
export function requireWasmKernelInput(inputs: tf.NamedTensorInfoMap, name: string): tf.TensorInfo {
  const info = inputs[name];
  if (info == null) {
    throw new Error(`mlspec wasm kernels: missing kernel input '${name}'`);
  }
  return info;
}
