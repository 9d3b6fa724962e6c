/**
 * mlspec's fixes to the wasm backend of tfjs 4.22, installed in tfjs's global kernel registry:
 *   - kernels training needs that wasm lacks (Conv2DBackpropFilter, the depthwise backprop
 *     kernels, UnsortedSegmentSum), registered only while missing;
 *   - MaxPoolGrad replaced: the stock one misroutes gradients of all-negative windows;
 *   - Conv2DBackpropInput replaced by a matrix product and a scatter (the stock one is a scalar
 *     loop that dominates the backward pass of a CNN);
 *   - BatchMatMul and _FusedMatMul wrapped so that every product takes XNNPACK's fast path
 *     (see wasmMatMul.ts): 3-4x faster training of dense layers, same results;
 *   - Tile replaced by block copies (the stock one allocates twice per element: a third of a
 *     CNN step with batch norm went there);
 *   - MlspecElementwise, mlspec's own kernel for whole optimizer updates in one SIMD pass
 *     (wasmElementwise.ts): the same float32 operations as the op-by-op update, one launch.
 * Gradients are unchanged: tfjs defines them in terms of ops, which run these kernels.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { delegateWasmKernelToCpu } from './wasmCpuDelegate.js';
import { ELEMENTWISE_KERNEL_NAME } from './elementwiseProgram.js';
import { createWasmElementwiseKernel } from './wasmElementwise.js';
import { createFastWasmGather } from './wasmGather.js';
import { createFastWasmSlice } from './wasmSlice.js';
import { createFastWasmTile } from './wasmTile.js';
import { createWasmConv2DBackpropFilter } from './wasmConv2DBackpropFilter.js';
import { createWasmConv2DBackpropInput } from './wasmConv2DBackpropInput.js';
import { createFastWasmBatchMatMul, createFastWasmFusedMatMul } from './wasmMatMul.js';
import { wasmMaxPoolGrad } from './wasmMaxPoolGrad.js';
import { wasmUnsortedSegmentSum } from './wasmUnsortedSegmentSum.js';

/** What installWasmKernels changed, kept on globalThis so that every copy of this module agrees. */
interface WasmKernelInstallation {
  /** Stock configs of the kernels that were replaced. */
  replaced: tf.KernelConfig[];
  /** Names of the kernels that were added because wasm had none. */
  added: string[];
}

const WASM_KERNEL_INSTALLATION = Symbol.for('mlspec.wasmKernelInstallation');

type GlobalWithWasmKernels = typeof globalThis & { [WASM_KERNEL_INSTALLATION]?: WasmKernelInstallation };

function currentWasmKernelInstallation(): WasmKernelInstallation | undefined {
  return (globalThis as GlobalWithWasmKernels)[WASM_KERNEL_INSTALLATION];
}

function stockWasmKernel(kernelName: string): tf.KernelConfig {
  const config = tf.getKernel(kernelName, 'wasm');
  if (config == null) {
    throw new Error(`mlspec wasm kernels: the wasm backend has no '${kernelName}' kernel (is @tensorflow/tfjs-backend-wasm 4.22 installed?)`);
  }
  return config;
}

/** True while mlspec's wasm kernels are installed. */
export function wasmKernelsInstalled(): boolean {
  return currentWasmKernelInstallation() != null;
}

/** Installs mlspec's wasm kernels; calling it again does nothing. */
export function installWasmKernels(): void {
  if (wasmKernelsInstalled()) {
    return;
  }
  const stockMatMul = stockWasmKernel('BatchMatMul');
  const stockFusedMatMul = stockWasmKernel('_FusedMatMul');
  const transpose = stockWasmKernel('Transpose').kernelFunc;
  const installation: WasmKernelInstallation = { replaced: [], added: [] };

  const replace = (stock: tf.KernelConfig, kernelFunc: tf.KernelFunc): void => {
    tf.unregisterKernel(stock.kernelName, 'wasm');
    // Keep the stock setup: it binds the C++ function that the stock kernel function calls.
    tf.registerKernel({ ...stock, kernelFunc });
    installation.replaced.push(stock);
  };
  const addIfMissing = (kernelName: string, kernelFunc: tf.KernelFunc): void => {
    if (tf.getKernel(kernelName, 'wasm') != null) {
      return;
    }
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
    installation.added.push(kernelName);
  };

  replace(stockMatMul, createFastWasmBatchMatMul(stockMatMul.kernelFunc, transpose));
  replace(stockFusedMatMul, createFastWasmFusedMatMul(stockFusedMatMul.kernelFunc, transpose));
  replace(stockWasmKernel('MaxPoolGrad'), wasmMaxPoolGrad);
  const stockGather = stockWasmKernel('GatherV2');
  replace(stockGather, createFastWasmGather(stockGather.kernelFunc));
  const stockSlice = stockWasmKernel('Slice');
  replace(stockSlice, createFastWasmSlice(stockSlice.kernelFunc));
  const stockTile = stockWasmKernel('Tile');
  replace(stockTile, createFastWasmTile(stockTile.kernelFunc));
  const stockConvInput = stockWasmKernel('Conv2DBackpropInput');
  replace(stockConvInput, createWasmConv2DBackpropInput(stockConvInput.kernelFunc, stockMatMul.kernelFunc, transpose));
  addIfMissing('Conv2DBackpropFilter', createWasmConv2DBackpropFilter(stockMatMul.kernelFunc));
  addIfMissing('UnsortedSegmentSum', wasmUnsortedSegmentSum);
  addIfMissing(ELEMENTWISE_KERNEL_NAME, createWasmElementwiseKernel());
  addIfMissing('DepthwiseConv2dNativeBackpropFilter', delegateWasmKernelToCpu('DepthwiseConv2dNativeBackpropFilter'));
  addIfMissing('DepthwiseConv2dNativeBackpropInput', delegateWasmKernelToCpu('DepthwiseConv2dNativeBackpropInput'));
  (globalThis as GlobalWithWasmKernels)[WASM_KERNEL_INSTALLATION] = installation;
}

/** Restores the stock wasm kernels (for comparisons and benchmarks); does nothing if not installed. */
export function uninstallWasmKernels(): void {
  const installation = currentWasmKernelInstallation();
  if (installation == null) {
    return;
  }
  for (const stock of installation.replaced) {
    tf.unregisterKernel(stock.kernelName, 'wasm');
    tf.registerKernel(stock);
  }
  for (const kernelName of installation.added) {
    tf.unregisterKernel(kernelName, 'wasm');
  }
  delete (globalThis as GlobalWithWasmKernels)[WASM_KERNEL_INSTALLATION];
}
