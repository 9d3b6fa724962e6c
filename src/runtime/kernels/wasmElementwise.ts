/**
 * The wasm kernel that runs an ElementwiseProgram (see elementwiseProgram.ts) in one pass over
 * its tensors, by a module compiled for the program (wasmElementwiseModule.ts) that shares the
 * backend's memory. Modules are cached per program text, so a training run compiles one per
 * distinct update rule and then only calls it.
 */
import * as tf from '@tensorflow/tfjs';
import type { ElementwiseKernelAttrs, ElementwiseProgram } from './elementwiseProgram.js';
import { elementwiseWasmJsApi, instantiateElementwiseWasm, type ElementwiseWasmMemory, type ElementwiseWasmRun } from './wasmElementwiseModule.js';
import { asWasmHeapBackend, requireWasmKernelInput, wasmHeapByteOffset, type WasmHeapBackend } from './wasmHeap.js';

/** The backend's linear memory: the module's `memory` export (tfjs-backend-wasm 4.22). */
function wasmBackendMemory(backend: WasmHeapBackend): ElementwiseWasmMemory {
  const { Memory } = elementwiseWasmJsApi();
  const exports = (backend.wasm as { asm?: Record<string, unknown> }).asm ?? {};
  const memory = exports.memory ?? Object.values(exports).find((value) => value instanceof Memory);
  if (!(memory instanceof Memory) || !(memory.buffer instanceof ArrayBuffer)) {
    throw new Error('mlspec wasm kernels: the wasm backend does not export a (non-shared) memory');
  }
  return memory;
}

export function createWasmElementwiseKernel(): tf.KernelFunc {
  const compiled = new WeakMap<ElementwiseWasmMemory, Map<string, ElementwiseWasmRun>>();
  const runFor = (memory: ElementwiseWasmMemory, program: ElementwiseProgram): ElementwiseWasmRun => {
    let byProgram = compiled.get(memory);
    if (byProgram === undefined) compiled.set(memory, (byProgram = new Map()));
    const key = JSON.stringify(program);
    let run = byProgram.get(key);
    if (run === undefined) byProgram.set(key, (run = instantiateElementwiseWasm(program, memory)));
    return run;
  };

  return (args) => {
    const backend = asWasmHeapBackend(args.backend);
    const { program, params } = args.attrs as unknown as ElementwiseKernelAttrs;
    if (params.length !== program.params) {
      throw new Error(`mlspec wasm kernels: the elementwise program takes ${program.params} parameters, got ${params.length}`);
    }
    const inputs = Array.from({ length: program.inputs }, (_, k) => requireWasmKernelInput(args.inputs, `x${k}`));
    const shape = inputs[0]!.shape;
    for (const input of inputs) {
      if (input.dtype !== 'float32' || !tf.util.arraysEqual(input.shape, shape)) {
        throw new Error('mlspec wasm kernels: an elementwise program needs float32 inputs of one shape');
      }
    }
    const outputs = program.outputs.map(() => backend.makeOutput([...shape], 'float32'));
    const run = runFor(wasmBackendMemory(backend), program);
    // Byte offsets stay valid when the memory grows (only the ArrayBuffer views are replaced).
    const pointers = [...inputs, ...outputs].map((info) => wasmHeapByteOffset(backend, info));
    run(...pointers, tf.util.sizeFromShape(shape), ...params);
    return outputs;
  };
}
