/**
 * Every layer kind mlspec trains, on webgpu (SwiftShader): for a tiny model of each kind (the
 * cases of the wasm gradient test), the forward output and the weight gradients equal the cpu
 * backend's, which is the reference for every kernel. Self-attention is built from ops as
 * mlspec's attention layer builds it.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { installAvgPoolGradient, uninstallAvgPoolGradient } from '../../../src/runtime/kernels/avgPoolGradient.js';
import { startWebgpu } from '../../../src/runtime/webgpu.js';
import { caseInput, GRADIENT_TOLERANCE, LAYER_CASES, type LayerCase } from '../kernels/layer-cases.js';
import { closeRelative, maxAbs, seededValues, sizeOf } from '../kernels/wasm-test-support.js';
import './train-on.js';

async function use(backend: 'cpu' | 'webgpu'): Promise<void> {
  if (backend === 'webgpu') await startWebgpu({ allowSoftware: true });
  else await tf.setBackend('cpu');
}

const read = async (t: tf.Tensor): Promise<Float32Array> => Float32Array.from(await t.data());

/** Output and gradients of sum(output^2) for case c on `backend`, from the given weights (or fresh ones). */
async function layerGradients(backend: 'cpu' | 'webgpu', c: LayerCase, seed: number, weights: Float32Array[] | null) {
  await use(backend);
  const model = tf.sequential({
    layers: [tf.layers.inputLayer({ batchInputShape: c.inputShape, dtype: c.vocab === undefined ? 'float32' : 'int32' }), ...c.layers()],
  });
  if (weights !== null) {
    const values = weights.map((w, i) => tf.tensor(w, model.weights[i]!.shape as number[]));
    model.setWeights(values);
    tf.dispose(values);
  }
  const initial = await Promise.all(model.getWeights().map(read));
  const x = caseInput(c, seed);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const y = model.apply(x, { training: true }) as tf.Tensor;
    return tf.sum(tf.square(c.after ? c.after(y) : y));
  }, variables);
  const gradients = await Promise.all(variables.map((v) => read(grads[v.name]!)));
  const loss = (await value.data())[0]!;
  tf.dispose([x, value, ...Object.values(grads)]);
  model.dispose();
  return { weights: initial, gradients, loss };
}

describe('layer outputs and gradients on webgpu equal the cpu backend', () => {
  for (const [index, c] of LAYER_CASES.entries()) {
    it(c.name, async () => {
      const onCpu = await layerGradients('cpu', c, index + 1, null);
      const onGpu = await layerGradients('webgpu', c, index + 1, onCpu.weights);
      expect(onGpu.gradients.length).toBe(onCpu.gradients.length);
      expect(onCpu.gradients.some((g) => maxAbs(g) > 0)).toBe(true);
      expect(Math.abs(onGpu.loss - onCpu.loss)).toBeLessThanOrEqual(GRADIENT_TOLERANCE * Math.max(1, Math.abs(onCpu.loss)));
      onCpu.gradients.forEach((expected, i) => {
        expect(closeRelative(onGpu.gradients[i]!, expected, GRADIENT_TOLERANCE), `weight ${i}`).toBe(true);
      });
    });
  }

  it('self-attention built from ops (batched products, softmax)', async () => {
    const shapes = [[2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8]];
    const gradientsOn = async (backend: 'cpu' | 'webgpu'): Promise<Float32Array[]> => {
      await use(backend);
      const grads = tf.tidy(() => {
        const inputs = shapes.map((shape, i) => tf.tensor(seededValues(sizeOf(shape), 70 + i), shape));
        const attention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
          tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(8))), v);
        return tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(attention(q, k, v))))(inputs);
      });
      const values = await Promise.all(grads.map(read));
      tf.dispose(grads);
      return values;
    };
    const onCpu = await gradientsOn('cpu');
    const onGpu = await gradientsOn('webgpu');
    onCpu.forEach((expected, i) => expect(closeRelative(onGpu[i]!, expected, GRADIENT_TOLERANCE)).toBe(true));
  });

  it('average pooling with padding same: the corrected gradient (the stock one on webgpu divides padded windows by the whole window)', async () => {
    // 1d (as tf.layers builds it) and 2d, stride 2, windows over both edges; see test/runtime/kernels/avgPoolGradient.test.ts.
    const cases = [
      { shape: [2, 7, 1, 2] as [number, number, number, number], filter: [3, 1] as [number, number], strides: [2, 1] as [number, number] },
      { shape: [2, 5, 5, 2] as [number, number, number, number], filter: [3, 3] as [number, number], strides: [2, 2] as [number, number] },
    ];
    const gradientOn = async (backend: 'cpu' | 'webgpu', k: number): Promise<Float32Array> => {
      await use(backend);
      const c = cases[k]!;
      const grad = tf.tidy(() => {
        const x = tf.tensor(seededValues(sizeOf(c.shape), 80 + k), c.shape);
        return tf.grad((v: tf.Tensor) => {
          const y = tf.avgPool(v as tf.Tensor4D, c.filter, c.strides, 'same');
          return tf.sum(tf.mul(y, tf.tensor(seededValues(y.size, 90 + k), y.shape)));
        })(x);
      });
      const values = await read(grad);
      grad.dispose();
      return values;
    };
    try {
      for (const k of cases.keys()) {
        uninstallAvgPoolGradient();
        const stockOnGpu = await gradientOn('webgpu', k);
        installAvgPoolGradient();
        const onCpu = await gradientOn('cpu', k);
        const onGpu = await gradientOn('webgpu', k);
        expect(closeRelative(onGpu, onCpu, GRADIENT_TOLERANCE)).toBe(true);
        expect(closeRelative(stockOnGpu, onCpu, 0.05)).toBe(false);
      }
    } finally {
      uninstallAvgPoolGradient();
    }
  });
});
