/**
 * Tiny models of every layer kind mlspec trains, shared by the gradient tests of the wasm
 * (kernels/wasmLayerGradients.test.ts) and webgpu (webgpu/layer-gradients.test.ts) backends.
 */
import * as tf from '@tensorflow/tfjs';
import { seededValues, sizeOf } from './wasm-test-support.js';

/** max |wasm - cpu| <= 1e-4 * max(1, max |cpu|), per weight. */
export const GRADIENT_TOLERANCE = 1e-4;

const L = tf.layers;

export interface LayerCase {
  name: string;
  /** Batch included. */
  inputShape: number[];
  /** Token ids in [0, vocab) instead of floats. */
  vocab?: number;
  layers: () => tf.layers.Layer[];
  /** Applied to the model output before the loss. */
  after?: (y: tf.Tensor) => tf.Tensor;
}

export const LAYER_CASES: LayerCase[] = [
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

export function caseInput(c: LayerCase, seed: number): tf.Tensor {
  if (c.vocab !== undefined) {
    const ids = Array.from(seededValues(sizeOf(c.inputShape), seed), (v) => Math.floor(((v + 1) / 2) * c.vocab!));
    return tf.tensor(ids, c.inputShape, 'int32');
  }
  return tf.tensor(seededValues(sizeOf(c.inputShape), seed), c.inputShape);
}

