/**
 * Runs a cpu-backend kernel for the wasm backend: inputs are copied from the wasm heap into the
 * cpu backend, the cpu kernel function runs, its outputs are copied back into new wasm tensors,
 * and every cpu-side tensor is released. Used for rarely hot kernels that wasm lacks.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmHeapBackend } from './wasmHeap.js';

function cpuBackendForWasmDelegate(): tf.KernelBackend {
  const cpu = tf.findBackend('cpu');
  if (cpu == null) {
    throw new Error("mlspec wasm kernels: the 'cpu' backend (bundled with @tensorflow/tfjs) is not available");
  }
  return cpu;
}

/** A wasm kernel function that delegates to the cpu backend's kernel of the same name. */
export function delegateWasmKernelToCpu(kernelName: string): tf.KernelFunc {
  return (params) => {
    const wasm = asWasmHeapBackend(params.backend);
    const cpu = cpuBackendForWasmDelegate();
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (cpuKernel == null) {
      throw new Error(`mlspec wasm kernels: the cpu backend has no kernel '${kernelName}' to delegate to`);
    }
    const cpuDataIds: object[] = [];
    const cpuInputs: tf.NamedTensorInfoMap = {};
    try {
      for (const [name, info] of Object.entries(params.inputs)) {
        if (info == null) {
          continue;
        }
        const dataId = cpu.write(wasm.readSync(info.dataId), info.shape, info.dtype);
        cpuDataIds.push(dataId);
        cpuInputs[name] = { dataId, shape: info.shape, dtype: info.dtype };
      }
      const result = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: params.attrs });
      const cpuOutputs = Array.isArray(result) ? result : [result];
      cpuDataIds.push(...cpuOutputs.map((output) => output.dataId));
      const outputs = cpuOutputs.map((output) =>
        wasm.makeOutput(output.shape, output.dtype, undefined, cpu.readSync(output.dataId)),
      );
      return Array.isArray(result) ? outputs : outputs[0];
    } finally {
      for (const dataId of cpuDataIds) {
        cpu.disposeData(dataId);
      }
    }
  };
}
