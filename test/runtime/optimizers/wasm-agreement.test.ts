/**
 * The optimizers give the same numbers on the wasm backend (mlspec's default) as on cpu, and on
 * wasm and on cpu the fused update (one elementwise kernel per variable) gives exactly the bits
 * of the op-by-op update.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { ELEMENTWISE_KERNEL_NAME } from '../../../src/runtime/kernels/elementwiseProgram.js';
import { installCpuKernels, uninstallCpuKernels } from '../../../src/runtime/kernels/installCpuKernels.js';
import { installWasmKernels, uninstallWasmKernels } from '../../../src/runtime/kernels/installWasmKernels.js';
import type { Optimizer } from '../../../src/runtime/contracts.js';
import { createAdagrad } from '../../../src/runtime/optimizers/adagrad.js';
import { createAdam } from '../../../src/runtime/optimizers/adam.js';
import { createAdamW } from '../../../src/runtime/optimizers/adamw.js';
import { createGd } from '../../../src/runtime/optimizers/gd.js';
import { createMomentum } from '../../../src/runtime/optimizers/momentum.js';
import { createRmsprop } from '../../../src/runtime/optimizers/rmsprop.js';
import { createSgd } from '../../../src/runtime/optimizers/sgd.js';

const optimizers: [string, () => Optimizer][] = [
  ['gd', () => createGd({ weight_decay: 0.01 })],
  ['sgd', () => createSgd()],
  ['momentum average', () => createMomentum({ form: 'average' })],
  ['momentum classical', () => createMomentum({ form: 'classical', weight_decay: 0.01 })],
  ['momentum nesterov', () => createMomentum({ form: 'nesterov' })],
  ['adam', () => createAdam({ weight_decay: 0.01 })],
  ['adamw', () => createAdamW({ weight_decay: 0.1 })],
  ['rmsprop', () => createRmsprop()],
  ['rmsprop momentum', () => createRmsprop({ momentum: 0.9 })],
  ['adagrad', () => createAdagrad()],
];

/** Five steps on f(w) = sum(w^3/3 - w) over `count` weights (g = w^2 - 1); the final weights. */
async function finalWeights(backend: 'cpu' | 'wasm', make: () => Optimizer, count = 12): Promise<number[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const w = tf.tidy(() => tf.variable(tf.linspace(-1.5, 1.5, count)));
  const optimizer = make();
  for (let i = 0; i < 5; i++) {
    const g = tf.tidy(() => w.square().sub(1));
    optimizer.apply([w], [g], 0.05);
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  optimizer.dispose();
  w.dispose();
  return out;
}

afterAll(async () => {
  installWasmKernels();
  await tf.setBackend('cpu');
});

describe('optimizers on wasm and cpu', () => {
  it.each(optimizers)('%s agrees within 1e-6', async (_name, make) => {
    const cpu = await finalWeights('cpu', make);
    const wasm = await finalWeights('wasm', make);
    expect(tf.getBackend()).toBe('wasm');
    cpu.forEach((value, i) => expect(Math.abs(wasm[i]! - value)).toBeLessThan(1e-6));
    // The run moved the weights, so agreement is not trivial.
    expect(cpu[0]).not.toBeCloseTo(-1.5, 3);
  });
});

describe('the fused optimizer update on wasm', () => {
  // 1,027 weights: the SIMD body and the scalar tail of the kernel both run.
  it.each(optimizers)('%s gives the bits of the op-by-op update', async (_name, make) => {
    installWasmKernels();
    await tf.setBackend('wasm');
    const calls = countElementwiseCalls();
    const fused = await finalWeights('wasm', make, 1027);
    expect(calls.count()).toBe(5);
    calls.restore();
    uninstallWasmKernels();
    expect(tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'wasm')).toBeUndefined();
    const opByOp = await finalWeights('wasm', make, 1027);
    installWasmKernels();
    expect(fused).toEqual(opByOp);
    expect(fused[0]).not.toBeCloseTo(-1.5, 3);
  });

  it.each(optimizers)('%s on the cpu backend gives the bits of its op-by-op update', async (_name, make) => {
    installCpuKernels();
    const calls = countElementwiseCalls();
    const fused = await finalWeights('cpu', make, 1027);
    expect(calls.count()).toBe(5);
    calls.restore();
    uninstallCpuKernels();
    const opByOp = await finalWeights('cpu', make, 1027);
    expect(fused).toEqual(opByOp);
    expect(fused[0]).not.toBeCloseTo(-1.5, 3);
  });

  it('leaves no tensors behind', async () => {
    installWasmKernels();
    await tf.setBackend('wasm');
    const w = tf.variable(tf.ones([1027]));
    const optimizer = createAdam();
    const g = tf.fill([1027], 0.5);
    optimizer.apply([w], [g], 0.1); // creates the two slots
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) optimizer.apply([w], [g], 0.1);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    tf.dispose([w, g]);
  });
});

/** Counts runs of the elementwise kernel on the current backend. */
function countElementwiseCalls(): { count(): number; restore(): void } {
  const engine = tf.engine();
  const original = engine.runKernel.bind(engine);
  let count = 0;
  engine.runKernel = ((name: string, ...rest: unknown[]) => {
    if (name === ELEMENTWISE_KERNEL_NAME) count++;
    return (original as (...args: unknown[]) => unknown)(name, ...rest);
  }) as typeof engine.runKernel;
  return { count: () => count, restore: () => (engine.runKernel = original) };
}
