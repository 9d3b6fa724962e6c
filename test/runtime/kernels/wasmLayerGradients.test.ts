/**
 * Every layer kind mlspec trains must train on wasm: for a tiny model of each kind, the weight
 * gradients on wasm (with mlspec's kernel fixes) equal the cpu backend's, which has every kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { caseInput, GRADIENT_TOLERANCE, LAYER_CASES as CASES, type LayerCase } from './layer-cases.js';
import { closeRelative, maxAbs, seededValues, sizeOf, useWasmWithFixes } from './wasm-test-support.js';

const L = tf.layers;

/**
 * Builds the model on `backend` (with `weights` when given), and returns its initial weights
 * and the gradients of sum(output^2) with respect to its trainable weights.
 */
async function layerGradients(
  backend: 'cpu' | 'wasm',
  c: LayerCase,
  seed: number,
  weights: Float32Array[] | null,
): Promise<{ weights: Float32Array[]; gradients: Float32Array[] }> {
  if (backend === 'wasm') {
    await useWasmWithFixes();
  } else {
    await tf.setBackend('cpu');
  }
  const model = tf.sequential({
    layers: [L.inputLayer({ batchInputShape: c.inputShape, dtype: c.vocab === undefined ? 'float32' : 'int32' }), ...c.layers()],
  });
  if (weights !== null) {
    const values = weights.map((w, i) => tf.tensor(w, model.weights[i].shape as number[]));
    model.setWeights(values);
    tf.dispose(values);
  }
  const initial = model.getWeights().map((w) => Float32Array.from(w.dataSync()));
  const x = caseInput(c, seed);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const y = model.apply(x, { training: true }) as tf.Tensor;
    return tf.sum(tf.square(c.after ? c.after(y) : y));
  }, variables);
  const gradients = variables.map((v) => Float32Array.from(grads[v.name].dataSync()));
  tf.dispose([x, value, ...Object.values(grads)]);
  model.dispose();
  return { weights: initial, gradients };
}

beforeAll(useWasmWithFixes);

describe('layer gradients on wasm equal the cpu backend', () => {
  for (const [index, c] of CASES.entries()) {
    it(c.name, async () => {
      const onCpu = await layerGradients('cpu', c, index + 1, null);
      const onWasm = await layerGradients('wasm', c, index + 1, onCpu.weights);
      expect(onWasm.weights.map((w) => Array.from(w))).toEqual(onCpu.weights.map((w) => Array.from(w)));
      expect(onWasm.gradients.length).toBe(onCpu.gradients.length);
      expect(onCpu.gradients.length).toBeGreaterThan(0);
      // Gradients that are all zero would make the comparison vacuous.
      expect(onCpu.gradients.some((g) => maxAbs(g) > 0)).toBe(true);
      onCpu.gradients.forEach((expected, i) => {
        expect(closeRelative(onWasm.gradients[i], expected, GRADIENT_TOLERANCE), `weight ${i}`).toBe(true);
      });
    });
  }

  it('self-attention built from ops (batched products, softmax)', async () => {
    const shapes = [[2, 4, 6, 8], [2, 4, 6, 8], [2, 4, 6, 8]];
    const attention = (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor =>
      tf.matMul(tf.softmax(tf.div(tf.matMul(q, k, false, true), Math.sqrt(8))), v);
    const gradientsOn = async (backend: 'cpu' | 'wasm'): Promise<Float32Array[]> => {
      if (backend === 'wasm') {
        await useWasmWithFixes();
      } else {
        await tf.setBackend('cpu');
      }
      return tf.tidy(() => {
        const inputs = shapes.map((shape, i) => tf.tensor(seededValues(sizeOf(shape), 70 + i), shape));
        const grads = tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.sum(tf.square(attention(q, k, v))))(inputs);
        return grads.map((g) => Float32Array.from(g.dataSync()));
      });
    };
    const onCpu = await gradientsOn('cpu');
    const onWasm = await gradientsOn('wasm');
    onCpu.forEach((expected, i) => expect(closeRelative(onWasm[i], expected, GRADIENT_TOLERANCE)).toBe(true));
  });
});
