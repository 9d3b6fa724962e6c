/**
 * tfjs's gradient of average pooling against the forward pass it belongs to.
 *
 * The forward AvgPool averages only the real cells of a window that hangs over the edge
 * (`padding: 'same'`); tfjs 4.22's gradient (AvgPoolGrad on cpu and wasm) divides by the whole
 * window. For 1d and 2d, same and valid padding, strides 1 and 2, the gradient of
 * L = sum(w * avgPool(x)) is compared with central finite differences of tfjs's own forward pass
 * and with the exact gradient of an independent float64 forward pass: the stock gradient is
 * wrong for every case with padding, mlspec's (installAvgPoolGradient) is right for all, and
 * where no window holds padding it is the stock gradient bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installAvgPoolGradient, uninstallAvgPoolGradient, avgPoolGradientInstalled } from '../../../src/runtime/kernels/avgPoolGradient.js';
import { maxAbsDifference, seededValues, sizeOf, useWasmWithFixes } from './wasm-test-support.js';

interface PoolCase {
  name: string;
  /** [batch, height, width, channels]; a 1d case has width 1, as tf.layers.averagePooling1d does. */
  shape: [number, number, number, number];
  filter: [number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
  /** Whether some window holds padding (where the stock gradient is wrong). */
  overhangs: boolean;
}

const CASES: PoolCase[] = [
  { name: '1d k3 s1 same', shape: [2, 7, 1, 2], filter: [3, 1], strides: [1, 1], pad: 'same', overhangs: true },
  { name: '1d k3 s2 same', shape: [2, 7, 1, 2], filter: [3, 1], strides: [2, 1], pad: 'same', overhangs: true },
  { name: '1d k2 s2 same (odd length)', shape: [2, 7, 1, 2], filter: [2, 1], strides: [2, 1], pad: 'same', overhangs: true },
  { name: '1d k4 s1 same (pad 1 before, 2 after)', shape: [1, 6, 1, 3], filter: [4, 1], strides: [1, 1], pad: 'same', overhangs: true },
  { name: '1d k9 s1 same (window longer than the input)', shape: [1, 5, 1, 2], filter: [9, 1], strides: [1, 1], pad: 'same', overhangs: true },
  { name: '1d k2 s2 same (windows tile the input)', shape: [2, 8, 1, 2], filter: [2, 1], strides: [2, 1], pad: 'same', overhangs: false },
  { name: '1d k3 s1 valid', shape: [2, 7, 1, 2], filter: [3, 1], strides: [1, 1], pad: 'valid', overhangs: false },
  { name: '1d k3 s2 valid', shape: [2, 8, 1, 2], filter: [3, 1], strides: [2, 1], pad: 'valid', overhangs: false },
  { name: '2d k3 s1 same', shape: [2, 5, 5, 2], filter: [3, 3], strides: [1, 1], pad: 'same', overhangs: true },
  { name: '2d k3 s2 same', shape: [2, 5, 5, 2], filter: [3, 3], strides: [2, 2], pad: 'same', overhangs: true },
  { name: '2d k2 s2 same (odd size)', shape: [2, 5, 5, 2], filter: [2, 2], strides: [2, 2], pad: 'same', overhangs: true },
  { name: '2d k2 s1 same', shape: [1, 4, 5, 3], filter: [2, 2], strides: [1, 1], pad: 'same', overhangs: true },
  { name: '2d k[3,2] s[2,1] same', shape: [1, 5, 4, 2], filter: [3, 2], strides: [2, 1], pad: 'same', overhangs: true },
  { name: '2d k2 s2 same (windows tile the input)', shape: [2, 6, 6, 2], filter: [2, 2], strides: [2, 2], pad: 'same', overhangs: false },
  { name: '2d k3 s1 valid', shape: [2, 5, 5, 2], filter: [3, 3], strides: [1, 1], pad: 'valid', overhangs: false },
  { name: '2d k2 s2 valid (odd size, last row dropped)', shape: [2, 5, 5, 2], filter: [2, 2], strides: [2, 2], pad: 'valid', overhangs: false },
  { name: '2d k3 s2 valid', shape: [1, 7, 6, 2], filter: [3, 3], strides: [2, 2], pad: 'valid', overhangs: false },
];

/** Output size and padding before, along one axis, as TensorFlow defines them. */
function axisGeometry(inSize: number, filter: number, stride: number, pad: 'same' | 'valid'): { out: number; before: number } {
  if (pad === 'valid') return { out: Math.floor((inSize - filter) / stride) + 1, before: 0 };
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + filter - inSize, 0);
  return { out, before: Math.floor(total / 2) };
}

/** The windows of output position i along one axis, clipped to the input. */
function axisWindow(i: number, filter: number, stride: number, before: number, inSize: number): [number, number] {
  const start = i * stride - before;
  return [Math.max(start, 0), Math.min(start + filter, inSize)];
}

/**
 * Independent float64 forward pass (the mean of each window's real cells) and the exact gradient
 * of L = sum(w * y) with respect to x: each window passes w / (its count of real cells) to each
 * of its real cells.
 */
function reference(c: PoolCase, x: Float32Array, w: Float32Array): { y: Float64Array; outShape: number[]; dx: Float64Array } {
  const [batch, height, width, channels] = c.shape;
  const rows = axisGeometry(height, c.filter[0], c.strides[0], c.pad);
  const cols = axisGeometry(width, c.filter[1], c.strides[1], c.pad);
  const outShape = [batch, rows.out, cols.out, channels];
  const y = new Float64Array(sizeOf(outShape));
  const dx = new Float64Array(x.length);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < rows.out; i++) {
      const [r0, r1] = axisWindow(i, c.filter[0], c.strides[0], rows.before, height);
      for (let j = 0; j < cols.out; j++) {
        const [c0, c1] = axisWindow(j, c.filter[1], c.strides[1], cols.before, width);
        const count = (r1 - r0) * (c1 - c0);
        for (let d = 0; d < channels; d++) {
          const o = ((b * rows.out + i) * cols.out + j) * channels + d;
          let sum = 0;
          for (let r = r0; r < r1; r++) {
            for (let q = c0; q < c1; q++) {
              const k = ((b * height + r) * width + q) * channels + d;
              sum += x[k];
              dx[k] += w[o] / count;
            }
          }
          y[o] = sum / count;
        }
      }
    }
  }
  return { y, outShape, dx };
}

function pool(c: PoolCase, x: tf.Tensor): tf.Tensor {
  return tf.avgPool(x as tf.Tensor4D, c.filter, c.strides, c.pad);
}

/** dL/dx by tfjs's gradient (whichever is registered), L = sum(w * avgPool(x)). */
function tfjsGradient(c: PoolCase, x: Float32Array, w: Float32Array, outShape: number[]): Float32Array {
  return tf.tidy(() => {
    const weights = tf.tensor(w, outShape);
    const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pool(c, input), weights)))(tf.tensor(x, c.shape));
    return Float32Array.from(grad.dataSync());
  });
}

/** dL/dx by central differences of tfjs's forward pass (L is linear in x: exact up to rounding). */
function finiteDifferenceGradient(c: PoolCase, x: Float32Array, w: Float32Array, outShape: number[]): Float64Array {
  const eps = 0.05;
  const n = x.length;
  // All 2n perturbed inputs in one batch: copy k is x + eps e_i (k = 2i) or x - eps e_i (k = 2i + 1).
  const [batch, height, width, channels] = c.shape;
  const perturbed = new Float32Array(2 * n * n);
  for (let i = 0; i < n; i++) {
    perturbed.set(x, 2 * i * n);
    perturbed.set(x, (2 * i + 1) * n);
    perturbed[2 * i * n + i] += eps;
    perturbed[(2 * i + 1) * n + i] -= eps;
  }
  const y = tf.tidy(() => pool(c, tf.tensor(perturbed, [2 * n * batch, height, width, channels])).dataSync());
  const m = sizeOf(outShape);
  const dx = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let plus = 0;
    let minus = 0;
    for (let o = 0; o < m; o++) {
      plus += w[o] * y[2 * i * m + o];
      minus += w[o] * y[(2 * i + 1) * m + o];
    }
    dx[i] = (plus - minus) / (2 * eps);
  }
  return dx;
}

const BACKENDS = ['cpu', 'wasm'] as const;

async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  if (name === 'wasm') {
    await useWasmWithFixes();
  } else {
    await tf.setBackend('cpu');
    await tf.ready();
  }
}

beforeAll(() => uninstallAvgPoolGradient());
afterAll(() => uninstallAvgPoolGradient());

for (const backend of BACKENDS) {
  describe(`AvgPool gradient on ${backend}`, () => {
    for (const [index, c] of CASES.entries()) {
      it(c.name, async () => {
        await useBackend(backend);
        const x = seededValues(sizeOf(c.shape), 10 + index);
        const { y: refY, outShape, dx: refDx } = reference(c, x, new Float32Array(0));
        const w = seededValues(sizeOf(outShape), 100 + index);
        const ref = reference(c, x, w);
        // tfjs's forward pass is the mean of the real cells (the reference).
        const forward = tf.tidy(() => pool(c, tf.tensor(x, c.shape)).dataSync());
        expect(Array.from(tf.tidy(() => pool(c, tf.tensor(x, c.shape))).shape)).toEqual(outShape);
        expect(maxAbsDifference(forward, refY)).toBeLessThan(1e-6);
        expect(refDx.length).toBe(x.length);
        // Finite differences of tfjs's forward pass agree with the reference gradient.
        const fd = finiteDifferenceGradient(c, x, w, outShape);
        expect(maxAbsDifference(fd, ref.dx)).toBeLessThan(1e-4);

        uninstallAvgPoolGradient();
        const stock = tfjsGradient(c, x, w, outShape);
        const stockError = maxAbsDifference(stock, fd);
        if (c.overhangs) {
          // The bug: tfjs's gradient is not the gradient of its forward pass.
          expect(stockError).toBeGreaterThan(0.05);
        } else {
          expect(stockError).toBeLessThan(1e-4);
        }

        installAvgPoolGradient();
        expect(avgPoolGradientInstalled()).toBe(true);
        const before = tf.memory().numTensors;
        const fixed = tfjsGradient(c, x, w, outShape);
        expect(tf.memory().numTensors).toBe(before);
        expect(maxAbsDifference(fixed, fd)).toBeLessThan(1e-4);
        expect(maxAbsDifference(fixed, ref.dx)).toBeLessThan(1e-6);
        if (!c.overhangs) {
          // No window holds padding: the stock gradient, bit for bit.
          expect(Array.from(fixed)).toEqual(Array.from(stock));
        }
        uninstallAvgPoolGradient();
      });
    }

    it('tf.layers averagePooling1d / averagePooling2d with padding same train on the corrected gradient', async () => {
      await useBackend(backend);
      installAvgPoolGradient();
      try {
        const layerCases = [
          { c: CASES[1], layer: () => tf.layers.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }), shape: [2, 7, 2] },
          { c: CASES[9], layer: () => tf.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'same' }), shape: [2, 5, 5, 2] },
        ];
        for (const [k, { c, layer, shape }] of layerCases.entries()) {
          const x = seededValues(sizeOf(c.shape), 50 + k);
          const probe = reference(c, x, new Float32Array(0));
          const w = seededValues(sizeOf(probe.outShape), 60 + k);
          const ref = reference(c, x, w);
          const pooling = layer();
          const dx = tf.tidy(() => {
            const outShape = [probe.outShape[0], probe.outShape[1], ...(shape.length === 4 ? [probe.outShape[2]] : []), probe.outShape[3]];
            const weights = tf.tensor(w, outShape);
            const grad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pooling.apply(input) as tf.Tensor, weights)))(tf.tensor(x, shape));
            return Float32Array.from(grad.dataSync());
          });
          expect(maxAbsDifference(dx, ref.dx)).toBeLessThan(1e-6);
        }
      } finally {
        uninstallAvgPoolGradient();
      }
    });
  });
}
