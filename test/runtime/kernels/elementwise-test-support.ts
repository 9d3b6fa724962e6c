/**
 * Shared by the elementwise-kernel tests (wasm and cpu): a float32 reference evaluator written
 * independently of the kernels, Adam's update as mlspec traces it, and a runner for the kernel
 * of the current backend.
 */
import * as tf from '@tensorflow/tfjs';
import { ELEMENTWISE_KERNEL_NAME, type ElementwiseProgram } from '../../../src/runtime/kernels/elementwiseProgram.js';

/** The program evaluated one element at a time in float32 (Math.fround after every operation). */
export function referenceRun(program: ElementwiseProgram, inputs: Float32Array[], params: number[]): Float32Array[] {
  const n = inputs[0]!.length;
  const outs = program.outputs.map(() => new Float32Array(n));
  const f = Math.fround;
  for (let i = 0; i < n; i++) {
    const values: number[] = [...inputs.map((x) => x[i]!), ...params.map(f)];
    for (const { op, args } of program.nodes) {
      const [a, b] = args.map((k) => values[k]!) as [number, number];
      const result = { add: a + b, sub: a - b, mul: a * b, div: a / b, sqrt: Math.sqrt(a), square: a * a }[op];
      values.push(f(result));
    }
    program.outputs.forEach((v, o) => (outs[o]![i] = values[v]!));
  }
  return outs;
}

/** Bit patterns, so that NaN equals NaN and -0 differs from 0. */
export const bits = (values: Float32Array) => Array.from(new Uint32Array(values.buffer.slice(0)));

// Adam's update as mlspec traces it: inputs theta, g, m, v; params b1, 1-b1, b2, 1-b2, c1, c2, eps, lr.
export const adamLike: ElementwiseProgram = {
  inputs: 4,
  params: 8,
  nodes: [
    { op: 'mul', args: [2, 4] }, // 12: m*b1
    { op: 'mul', args: [1, 5] }, // 13: g*(1-b1)
    { op: 'add', args: [12, 13] }, // 14: m'
    { op: 'mul', args: [3, 6] }, // 15: v*b2
    { op: 'square', args: [1] }, // 16: g^2
    { op: 'mul', args: [16, 7] }, // 17
    { op: 'add', args: [15, 17] }, // 18: v'
    { op: 'div', args: [14, 8] }, // 19: mHat
    { op: 'div', args: [18, 9] }, // 20: vHat
    { op: 'sqrt', args: [20] }, // 21
    { op: 'add', args: [21, 10] }, // 22
    { op: 'div', args: [19, 22] }, // 23
    { op: 'mul', args: [23, 11] }, // 24
    { op: 'sub', args: [0, 24] }, // 25: theta'
  ],
  outputs: [25, 14, 18],
};
export const adamParams = [0.9, 1 - 0.9, 0.999, 1 - 0.999, 1 - 0.9 ** 3, 1 - 0.999 ** 3, 1e-7, 0.001];

/** Runs the elementwise kernel of the current backend on 1-D inputs; the outputs' values. */
export function runElementwiseKernel(program: ElementwiseProgram, inputs: Float32Array[], params: number[]): Float32Array[] {
  return tf.tidy(() => {
    const named = Object.fromEntries(inputs.map((values, k) => [`x${k}`, tf.tensor1d(values)]));
    const outs = tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, named, { program, params } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    return outs.map((t) => Float32Array.from(t.dataSync() as Float32Array));
  });
}
