/**
 * The elementwise kernel (one SIMD pass per optimizer update on wasm): its compiled programs
 * against a float32 reference written here, every length (SIMD body and scalar tail), special
 * values, tensor accounting and refusals of malformed programs.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ELEMENTWISE_KERNEL_NAME, type ElementwiseProgram } from '../../../src/runtime/kernels/elementwiseProgram.js';
import { adamLike, adamParams, bits, referenceRun, runElementwiseKernel as runKernel } from './elementwise-test-support.js';
import { elementwiseWasmBytes } from '../../../src/runtime/kernels/wasmElementwiseModule.js';
import { liveWasmCounts, seededValues, useWasmWithFixes } from './wasm-test-support.js';

beforeAll(async () => {
  await useWasmWithFixes();
});

describe('the elementwise kernel on wasm', () => {
  it('is registered by the wasm kernel fixes', () => {
    expect(tf.getKernel(ELEMENTWISE_KERNEL_NAME, 'wasm')).toBeDefined();
  });

  it.each([0, 1, 3, 4, 5, 17, 1000, 4099])('gives the float32 reference bit for bit on %i elements', (n) => {
    const inputs = [0, 1, 2, 3].map((k) => seededValues(n, 7 + k));
    inputs[3] = inputs[3]!.map(Math.abs); // v >= 0
    const got = runKernel(adamLike, inputs, adamParams);
    const want = referenceRun(adamLike, inputs, adamParams);
    expect(got.map(bits)).toEqual(want.map(bits));
    if (n > 0) expect(got[0]).not.toEqual(inputs[0]); // theta moved
  });

  it('keeps IEEE special values: infinities, NaN, signed zeros, subnormals', () => {
    const specials = [Infinity, -Infinity, NaN, 0, -0, 1e-45, -1e-45, 1.1754942e-38, 3.4e38, -3.4e38, 1, -1];
    const a = Float32Array.from(specials.flatMap((x) => specials.map(() => x)));
    const b = Float32Array.from(specials.flatMap(() => specials));
    const program: ElementwiseProgram = {
      inputs: 2,
      params: 1,
      nodes: [
        { op: 'add', args: [0, 1] },
        { op: 'sub', args: [0, 1] },
        { op: 'mul', args: [0, 2] },
        { op: 'div', args: [0, 1] },
        { op: 'sqrt', args: [0] },
        { op: 'square', args: [1] },
      ],
      outputs: [3, 4, 5, 6, 7, 8],
    };
    const got = runKernel(program, [a, b], [0.5]);
    const want = referenceRun(program, [a, b], [0.5]);
    // NaN payloads are not specified by IEEE; compare NaN-ness, and bits otherwise.
    got.forEach((values, o) =>
      values.forEach((x, i) => {
        const expected = want[o]![i]!;
        if (Number.isNaN(expected)) expect(x).toBeNaN();
        else expect(Object.is(x, expected) ? x : [x, 'expected', expected, 'output', o, 'index', i]).toBe(expected);
      }),
    );
  });

  it('may return an input or a parameter as an output', () => {
    const program: ElementwiseProgram = { inputs: 1, params: 1, nodes: [], outputs: [0, 1] };
    const [same, filled] = runKernel(program, [Float32Array.from([1, 2, 3, 4, 5])], [2.5]);
    expect(Array.from(same!)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(filled!)).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
  });

  it('leaks no tensors and no wasm buffers', () => {
    const inputs = [0, 1, 2, 3].map((k) => tf.tensor1d(seededValues(1001, k)));
    const before = liveWasmCounts();
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        const named = Object.fromEntries(inputs.map((t, k) => [`x${k}`, t]));
        tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, named, { program: adamLike, params: adamParams } as unknown as tf.NamedAttrMap);
      });
    }
    expect(liveWasmCounts()).toEqual(before);
    tf.dispose(inputs);
  });

  it('refuses inputs of different shapes and a wrong number of parameters', () => {
    const program: ElementwiseProgram = { inputs: 2, params: 0, nodes: [{ op: 'add', args: [0, 1] }], outputs: [2] };
    const attrs = { program, params: [] } as unknown as tf.NamedAttrMap;
    expect(() => tf.tidy(() => tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, { x0: tf.ones([3]), x1: tf.ones([4]) }, attrs))).toThrow(/one shape/);
    const wrong = { program, params: [1] } as unknown as tf.NamedAttrMap;
    expect(() => tf.tidy(() => tf.engine().runKernel(ELEMENTWISE_KERNEL_NAME, { x0: tf.ones([3]), x1: tf.ones([3]) }, wrong))).toThrow(/takes 0 parameters/);
  });
});

describe('elementwiseWasmBytes', () => {
  it('emits a module that WebAssembly validates', () => {
    const api = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    expect(api.validate(elementwiseWasmBytes(adamLike))).toBe(true);
  });

  it.each<[string, ElementwiseProgram, RegExp]>([
    ['a forward reference', { inputs: 1, params: 0, nodes: [{ op: 'add', args: [0, 1] }], outputs: [1] }, /refers to value 1/],
    ['a wrong arity', { inputs: 1, params: 0, nodes: [{ op: 'sqrt', args: [0, 0] }], outputs: [1] }, /needs 1 arguments/],
    ['an unknown operation', { inputs: 1, params: 0, nodes: [{ op: 'pow' as 'add', args: [0, 0] }], outputs: [1] }, /pow/],
    ['no outputs', { inputs: 1, params: 0, nodes: [], outputs: [] }, /every output/],
    ['an output out of range', { inputs: 1, params: 0, nodes: [], outputs: [3] }, /every output/],
    ['no inputs', { inputs: 0, params: 0, nodes: [], outputs: [0] }, /bad counts/],
  ])('refuses %s', (_what, program, message) => {
    expect(() => elementwiseWasmBytes(program)).toThrow(message);
  });
});
