/**
 * The elementwise kernel on tfjs's cpu backend: against the float32 reference, every length,
 * special values, reuse of its intermediate arrays across calls of different sizes, tensor
 * accounting and refusals.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELEMENTWISE_KERNEL_NAME, type ElementwiseProgram } from '../../../src/runtime/kernels/elementwiseProgram.js';
import { installCpuKernels, uninstallCpuKernels } from '../../../src/runtime/kernels/installCpuKernels.js';
import { adamLike, adamParams, bits, referenceRun, runElementwiseKernel as runKernel } from './elementwise-test-support.js';
import { seededValues } from './wasm-test-support.js';

beforeAll(async () => {
  installCpuKernels();
  await tf.setBackend('cpu');
});

afterAll(uninstallCpuKernels);

describe('the elementwise kernel on cpu', () => {
  it('is registered by installCpuKernels and removed by uninstallCpuKernels', () => {
    expect(tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'cpu')).toBeDefined();
    uninstallCpuKernels();
    expect(tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'cpu')).toBeUndefined();
    installCpuKernels();
    installCpuKernels(); // twice is once
    expect(tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'cpu')).toBeDefined();
  });

  // Sizes go up and down, so the reused intermediate arrays are both grown and used in part.
  it.each([5, 1, 4099, 0, 17, 1000, 3])('gives the float32 reference bit for bit on %i elements', (n) => {
    const inputs = [0, 1, 2, 3].map((k) => seededValues(n, 11 + k));
    inputs[3] = inputs[3]!.map(Math.abs);
    const got = runKernel(adamLike, inputs, adamParams);
    expect(got.map(bits)).toEqual(referenceRun(adamLike, inputs, adamParams).map(bits));
  });

  it('keeps IEEE special values and gives every output its own array', () => {
    const specials = [Infinity, -Infinity, NaN, 0, -0, 1e-45, 1.1754942e-38, 3.4e38, -1];
    const a = Float32Array.from(specials.flatMap((x) => specials.map(() => x)));
    const b = Float32Array.from(specials.flatMap(() => specials));
    const program: ElementwiseProgram = {
      inputs: 2,
      params: 1,
      nodes: [
        { op: 'div', args: [0, 1] },
        { op: 'sqrt', args: [3] },
        { op: 'sub', args: [4, 2] },
        { op: 'square', args: [5] },
      ],
      outputs: [6, 6, 0, 2, 4],
    };
    const got = runKernel(program, [a, b], [0.25]);
    const want = referenceRun(program, [a, b], [0.25]);
    got.forEach((values, o) => values.forEach((x, i) => (Number.isNaN(want[o]![i]!) ? expect(x).toBeNaN() : expect(Object.is(x, want[o]![i]!)).toBe(true))));
    const outs = tf.engine().runKernel(
      ELEMENTWISE_KERNEL_NAME,
      { x0: tf.tensor1d(a), x1: tf.tensor1d(b) },
      { program, params: [0.25] } as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
    const arrays = outs.map((t) => t.dataSync());
    expect(new Set(arrays).size).toBe(arrays.length);
    tf.dispose(outs);
  });

  it('leaks no tensors', () => {
    const inputs = [0, 1, 2, 3].map((k) => tf.tensor1d(seededValues(257, k)));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      tf.tidy(() => {
        tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, Object.fromEntries(inputs.map((t, k) => [`x${k}`, t])), {
          program: adamLike,
          params: adamParams,
        } as unknown as tf.NamedAttrMap);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(inputs);
  });

  it('refuses malformed programs, mismatched shapes and a wrong number of parameters', () => {
    const run = (program: ElementwiseProgram, params: number[], x1 = tf.ones([3])) =>
      tf.tidy(() => tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, { x0: tf.ones([3]), x1 }, { program, params } as unknown as tf.NamedAttrMap));
    const add: ElementwiseProgram = { inputs: 2, params: 0, nodes: [{ op: 'add', args: [0, 1] }], outputs: [2] };
    expect(() => run(add, [], tf.ones([4]))).toThrow(/one shape/);
    expect(() => run(add, [1])).toThrow(/takes 0 parameters/);
    expect(() => run({ ...add, nodes: [{ op: 'add', args: [0, 2] }] }, [])).toThrow(/refers to value 2/);
  });
});
