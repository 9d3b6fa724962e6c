/**
 * mlspec's kernels for tfjs's cpu backend: only MlspecElementwise (the one-pass optimizer update,
 * cpuElementwise.ts). Registered while missing; uninstallCpuKernels removes it again.
 */
import * as tf from '@tensorflow/tfjs';
import { createCpuElementwiseKernel } from './cpuElementwise.js';
import { ELEMENTWISE_KERNEL_NAME } from './elementwiseProgram.js';

export function installCpuKernels(): void {
  if (tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'cpu') == null) {
    tf.registerKernel({ kernelName: ELEMENTWISE_KERNEL_NAME, backendName: 'cpu', kernelFunc: createCpuElementwiseKernel() });
  }
}

export function uninstallCpuKernels(): void {
  if (tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'cpu') != null) tf.unregisterKernel(ELEMENTWISE_KERNEL_NAME, 'cpu');
}
