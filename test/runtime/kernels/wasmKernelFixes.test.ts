import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createWasmConv2DBackpropFilter } from '../../../src/runtime/kernels/wasmConv2DBackpropFilter.js';
import { createWasmConv2DBackpropInput } from '../../../src/runtime/kernels/wasmConv2DBackpropInput.js';
import { closeRelative, liveWasmCounts, seededValues, sizeOf, useWasmWithFixes, valuesOf } from './wasm-test-support.js';

/** Gradient tolerance against the cpu backend: max |wasm - cpu| <= 1e-4 * max(1, max |cpu|). */
const GRADIENT_TOLERANCE = 1e-4;

/** Gradients of sum(f(inputs)^2) with respect to every input, on one backend. */
async function gradientsOn(
  backend: 'cpu' | 'wasm',
  inputs: Array<{ values: Float32Array; shape: number[] }>,
  f: (...tensors: tf.Tensor[]) => tf.Tensor,
): Promise<Float32Array[]> {
  if (backend === 'wasm') {
    await useWasmWithFixes();
  } else {
    await tf.setBackend('cpu');
  }
  return tf.tidy(() => {
    const tensors = inputs.map((input) => tf.tensor(input.values, input.shape));
    const gradients = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.square(f(...xs))))(tensors);
    return gradients.map((g) => Float32Array.from(g.dataSync()));
  });
}

async function expectWasmGradientsLikeCpu(
  inputs: Array<{ values: Float32Array; shape: number[] }>,
  f: (...tensors: tf.Tensor[]) => tf.Tensor,
): Promise<void> {
  const onCpu = await gradientsOn('cpu', inputs, f);
  await useWasmWithFixes();
  const before = liveWasmCounts();
  const onWasm = await gradientsOn('wasm', inputs, f);
  expect(liveWasmCounts()).toEqual(before);
  expect(onWasm.length).toBe(onCpu.length);
  for (let i = 0; i < onCpu.length; i++) {
    expect(closeRelative(onWasm[i], onCpu[i], GRADIENT_TOLERANCE)).toBe(true);
  }
}

function input(shape: number[], seed: number): { values: Float32Array; shape: number[] } {
  return { values: seededValues(sizeOf(shape), seed), shape };
}

beforeAll(useWasmWithFixes);

describe('convolution and segment kernels added or replaced on wasm', () => {
  it('are registered after installation', () => {
    for (const name of ['Conv2DBackpropFilter', 'UnsortedSegmentSum', 'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput']) {
      expect(tf.getKernel(name, 'wasm')).toBeDefined();
    }
  });

  const convCases: Array<{ name: string; x: number[]; filter: number[]; strides: [number, number]; pad: 'same' | 'valid' }> = [
    { name: '3x3 same', x: [2, 6, 6, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: 'same' },
    { name: '3x2 valid, stride 2', x: [2, 7, 8, 2], filter: [3, 2, 2, 5], strides: [2, 2], pad: 'valid' },
    { name: '5x5 same, stride 2, one channel', x: [3, 9, 9, 1], filter: [5, 5, 1, 2], strides: [2, 2], pad: 'same' },
    { name: 'conv1d as 1 x k', x: [4, 1, 12, 3], filter: [1, 3, 3, 2], strides: [1, 1], pad: 'same' },
  ];
  for (const [index, c] of convCases.entries()) {
    it(`Conv2DBackpropFilter (${c.name}): conv2d gradients match the cpu backend`, async () => {
      await expectWasmGradientsLikeCpu([input(c.x, 10 + index), input(c.filter, 20 + index)], (x, w) =>
        tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad),
      );
    });
  }

  it('Conv2DBackpropFilter sums chunks of samples like the cpu kernel', async () => {
    const xShape = [5, 6, 6, 2];
    const dyShape = [5, 6, 6, 3];
    const filterShape = [3, 3, 2, 3];
    const x = seededValues(sizeOf(xShape), 30);
    const dy = seededValues(sizeOf(dyShape), 31);
    const attrs: tf.NamedAttrMap = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape };
    const runKernel = (kernel: tf.KernelFunc) =>
      valuesOf(() => {
        const info = kernel({ inputs: { x: tf.tensor(x, xShape), dy: tf.tensor(dy, dyShape) }, backend: tf.backend(), attrs });
        return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
      });
    await tf.setBackend('cpu');
    const onCpu = runKernel(tf.getKernel('Conv2DBackpropFilter', 'cpu').kernelFunc);
    await useWasmWithFixes();
    // One sample's patches are 3*3*2 rows x 36 pixels; a bound of two samples gives chunks of 2, 2 and 1.
    const chunked = createWasmConv2DBackpropFilter(tf.getKernel('BatchMatMul', 'wasm').kernelFunc, 2 * 18 * 36);
    const before = liveWasmCounts();
    const onWasm = runKernel(chunked);
    expect(liveWasmCounts()).toEqual(before);
    expect(onWasm.shape).toEqual(filterShape);
    expect(closeRelative(onWasm.values, onCpu.values, GRADIENT_TOLERANCE)).toBe(true);
  });

  it('Conv2DBackpropInput sums chunks of samples like the cpu kernel', async () => {
    const dyShape = [5, 3, 3, 4];
    const filterShape = [3, 3, 2, 4];
    const inputShape = [5, 6, 6, 2];
    const dy = seededValues(sizeOf(dyShape), 32);
    const filter = seededValues(sizeOf(filterShape), 33);
    const attrs: tf.NamedAttrMap = { inputShape, strides: [2, 2], pad: 'same', dataFormat: 'NHWC' };
    const runKernel = (kernel: tf.KernelFunc) =>
      valuesOf(() => {
        const info = kernel({ inputs: { dy: tf.tensor(dy, dyShape), filter: tf.tensor(filter, filterShape) }, backend: tf.backend(), attrs });
        return tf.engine().makeTensorFromTensorInfo(info as tf.TensorInfo);
      });
    await tf.setBackend('cpu');
    const onCpu = runKernel(tf.getKernel('Conv2DBackpropInput', 'cpu').kernelFunc);
    await useWasmWithFixes();
    // One sample's columns are 9 pixels x 3*3*2 rows; a bound of two samples gives chunks of 2, 2 and 1.
    const kernelOf = (name: string) => tf.getKernel(name, 'wasm').kernelFunc;
    const chunked = createWasmConv2DBackpropInput(kernelOf('Conv2DBackpropInput'), kernelOf('BatchMatMul'), kernelOf('Transpose'), 2 * 9 * 18);
    const before = liveWasmCounts();
    const onWasm = runKernel(chunked);
    expect(liveWasmCounts()).toEqual(before);
    expect(onWasm.shape).toEqual(inputShape);
    expect(closeRelative(onWasm.values, onCpu.values, GRADIENT_TOLERANCE)).toBe(true);
  });

  it('conv2dTranspose (which runs Conv2DBackpropInput forward) and its gradients match the cpu backend', async () => {
    await expectWasmGradientsLikeCpu([input([2, 4, 4, 3], 34), input([3, 3, 2, 3], 35)], (x, w) =>
      tf.conv2dTranspose(x as tf.Tensor4D, w as tf.Tensor4D, [2, 8, 8, 2], 2, 'same'),
    );
  });

  it('depthwise conv2d gradients (filter and input) match the cpu backend', async () => {
    await expectWasmGradientsLikeCpu([input([2, 7, 7, 3], 40), input([3, 3, 3, 2], 41)], (x, w) =>
      tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, [2, 2], 'same'),
    );
    await expectWasmGradientsLikeCpu([input([2, 6, 6, 2], 42), input([2, 2, 2, 1], 43)], (x, w) =>
      tf.depthwiseConv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'valid'),
    );
  });

  it('UnsortedSegmentSum adds rows by segment and drops ids out of range', async () => {
    await useWasmWithFixes();
    const before = liveWasmCounts();
    const result = valuesOf(() =>
      tf.unsortedSegmentSum(tf.tensor2d([1, 2, 10, 20, 100, 200, 1000, 2000, 7, 7], [5, 2]), tf.tensor1d([2, 0, 2, -1, 5], 'int32'), 3),
    );
    expect(liveWasmCounts()).toEqual(before);
    expect(result.shape).toEqual([3, 2]);
    // Segment 0: row 1; segment 1: nothing; segment 2: rows 0 and 2; rows 3 (id -1) and 4 (id 5) dropped.
    expect(Array.from(result.values)).toEqual([10, 20, 0, 0, 101, 202]);

    const ints = valuesOf(() => tf.unsortedSegmentSum(tf.tensor1d([3, 4, 5], 'int32'), tf.tensor1d([1, 1, 0], 'int32'), 2));
    expect(Array.from(ints.values)).toEqual([5, 7]);
  });

  it('embedding (gather) gradients match the cpu backend', async () => {
    const ids = tf.tensor2d([[0, 3, 3], [7, 0, 9]], [2, 3], 'int32');
    const idValues = ids.dataSync().slice();
    ids.dispose();
    await expectWasmGradientsLikeCpu([input([10, 4], 50)], (table) => tf.gather(table, tf.tensor2d(idValues, [2, 3], 'int32')));
  });
});

describe('MaxPoolGrad, replaced because the stock one is wrong', () => {
  it('MaxPoolGrad sends each gradient to the first maximum, also in all-negative windows', async () => {
    await useWasmWithFixes();
    // Windows of 2x2: top-left max -1 at (0,1); top-right max -3 at (0,2) (all negative);
    // bottom-left max 3 tied at (3,0) and (3,1) -> first; bottom-right -1 tied at (2,2), (2,3), (3,2) -> first.
    const x = [-5, -1, -3, -4, -2, -6, -7, -8, 1, 2, -1, -1, 3, 3, -1, -2];
    const weights = [10, 20, 30, 40];
    const expected = [0, 10, 20, 0, 0, 0, 0, 0, 0, 0, 40, 0, 30, 0, 0, 0];
    const before = liveWasmCounts();
    const gradient = valuesOf(() =>
      tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 2, 2, 'valid'), tf.tensor4d(weights, [1, 2, 2, 1]))))(
        tf.tensor4d(x, [1, 4, 4, 1]),
      ),
    );
    expect(liveWasmCounts()).toEqual(before);
    expect(Array.from(gradient.values)).toEqual(expected);
  });

  it('MaxPoolGrad with same padding and stride matches the cpu backend', async () => {
    await expectWasmGradientsLikeCpu([input([2, 7, 7, 3], 60)], (x) => tf.maxPool(x as tf.Tensor4D, 3, 2, 'same'));
    await expectWasmGradientsLikeCpu([input([3, 1, 9, 2], 61)], (x) => tf.maxPool(x as tf.Tensor4D, [1, 2], [1, 2], 'valid'));
  });
});
