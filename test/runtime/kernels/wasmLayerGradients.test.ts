/**
 * Every layer kind mlspec trains must train on wasm: for a tiny model of each kind, the weight
 * gradients on wasm (with mlspec's kernel fixes) equal the cpu backend's, which has every kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeRelative, maxAbs, seededValues, sizeOf, useWasmWithFixes } from './wasm-test-support.js';

/** max |wasm - cpu| <= 1e-4 * max(1, max |cpu|), per weight. */
const GRADIENT_TOLERANCE = 1e-4;

const L = tf.layers;

interface LayerCase {
  name: string;
  /** Batch included. */
  inputShape: number[];
  /** Token ids in [0, vocab) instead of floats. */
  vocab?: number;
  layers: () => tf.layers.Layer[];
  /** Applied to the model output before the loss. */
  after?: (y: tf.Tensor) => tf.Tensor;
}

const CASES: LayerCase[] = [
  { name: 'dense', inputShape: [6, 8], layers: () => [L.dense({ units: 5, activation: 'relu' }), L.dense({ units: 3 })] },
  { name: 'dense on a sequence', inputShape: [3, 4, 6], layers: () => [L.dense({ units: 5 }), L.flatten()] },
  { name: 'conv1d', inputShape: [3, 10, 4], layers: () => [L.conv1d({ filters: 3, kernelSize: 3, padding: 'same', activation: 'relu' }), L.flatten()] },
  { name: 'conv1d, stride 2', inputShape: [3, 11, 2], layers: () => [L.conv1d({ filters: 4, kernelSize: 3, strides: 2 }), L.flatten()] },
  { name: 'conv2d', inputShape: [2, 6, 6, 2], layers: () => [L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }), L.flatten()] },
  { name: 'conv2d, stride 2, valid', inputShape: [2, 7, 8, 3], layers: () => [L.conv2d({ filters: 2, kernelSize: [3, 2], strides: 2 }), L.flatten()] },
  { name: 'depthwise conv2d', inputShape: [2, 6, 6, 2], layers: () => [L.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }), L.flatten()] },
  { name: 'max_pool1d', inputShape: [3, 10, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 1 }), L.maxPooling1d({ poolSize: 2 }), L.flatten()] },
  { name: 'avg_pool1d', inputShape: [3, 10, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 1 }), L.averagePooling1d({ poolSize: 3, strides: 2, padding: 'same' }), L.flatten()] },
  { name: 'max_pool2d', inputShape: [2, 7, 7, 2], layers: () => [L.conv2d({ filters: 2, kernelSize: 1 }), L.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), L.flatten()] },
  { name: 'avg_pool2d', inputShape: [2, 6, 6, 2], layers: () => [L.conv2d({ filters: 2, kernelSize: 1 }), L.averagePooling2d({ poolSize: 2 }), L.flatten()] },
  { name: 'global_max_pool1d', inputShape: [3, 8, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 2 }), L.globalMaxPooling1d()] },
  { name: 'global_avg_pool1d', inputShape: [3, 8, 2], layers: () => [L.conv1d({ filters: 3, kernelSize: 2 }), L.globalAveragePooling1d()] },
  { name: 'global_max_pool2d', inputShape: [2, 5, 5, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 2 }), L.globalMaxPooling2d({})] },
  { name: 'global_avg_pool2d', inputShape: [2, 5, 5, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 2 }), L.globalAveragePooling2d({})] },
  { name: 'batch_norm', inputShape: [6, 5], layers: () => [L.dense({ units: 4 }), L.batchNormalization()] },
  { name: 'batch_norm after conv2d', inputShape: [2, 5, 5, 2], layers: () => [L.conv2d({ filters: 3, kernelSize: 2 }), L.batchNormalization(), L.flatten()] },
  { name: 'layer_norm', inputShape: [6, 5], layers: () => [L.dense({ units: 4 }), L.layerNormalization()] },
  { name: 'embedding', inputShape: [4, 5], vocab: 9, layers: () => [L.embedding({ inputDim: 9, outputDim: 3 }), L.flatten(), L.dense({ units: 2 })] },
  { name: 'lstm', inputShape: [3, 5, 2], layers: () => [L.lstm({ units: 4, returnSequences: true }), L.flatten()] },
  { name: 'gru', inputShape: [3, 5, 2], layers: () => [L.gru({ units: 4 })] },
  { name: 'simple_rnn', inputShape: [3, 5, 2], layers: () => [L.simpleRNN({ units: 4 })] },
  { name: 'dropout', inputShape: [6, 8], layers: () => [L.dense({ units: 5 }), L.dropout({ rate: 0.5, seed: 7 }), L.dense({ units: 2 })] },
  { name: 'softmax', inputShape: [6, 8], layers: () => [L.dense({ units: 4, activation: 'softmax' })] },
  { name: 'log softmax', inputShape: [6, 8], layers: () => [L.dense({ units: 4 })], after: (y) => tf.logSoftmax(y) },
  { name: 'gelu', inputShape: [6, 8], layers: () => [L.dense({ units: 4, activation: 'gelu' })] },
  { name: 'elu', inputShape: [6, 8], layers: () => [L.dense({ units: 4, activation: 'elu' })] },
  { name: 'selu', inputShape: [6, 8], layers: () => [L.dense({ units: 4, activation: 'selu' })] },
  { name: 'swish, softplus, leaky relu', inputShape: [6, 8], layers: () => [L.dense({ units: 5, activation: 'swish' }), L.dense({ units: 4, activation: 'softplus' }), L.leakyReLU({ alpha: 0.2 })] },
];

function caseInput(c: LayerCase, seed: number): tf.Tensor {
  if (c.vocab !== undefined) {
    const ids = Array.from(seededValues(sizeOf(c.inputShape), seed), (v) => Math.floor(((v + 1) / 2) * c.vocab!));
    return tf.tensor(ids, c.inputShape, 'int32');
  }
  return tf.tensor(seededValues(sizeOf(c.inputShape), seed), c.inputShape);
}

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
