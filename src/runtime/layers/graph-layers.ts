/**
 * One factory per mlspec layer kind: a graph node's (defaulted, snake_case) config -> a tfjs layer
 * named after the node. Random initializers are seeded with deriveSeed(seed, 'init', node, weight).
 */
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from '../contracts.js';
import { deriveSeed } from '../rng.js';
import { MultiHeadSelfAttention } from './multi-head-self-attention.js';
import { mlspecActivationId, mlspecInitializer } from './options.js';
import { PositionalEmbedding } from './positional-embedding.js';
import { SeededDropout } from './dropout.js';
import { TransformerEncoder } from './transformer-encoder.js';

/** What a factory gets: the node's name and config, and the run's seed. */
export interface GraphLayerContext {
  name: string;
  layer: string;
  config: { [key: string]: JsonValue };
  seed: number;
}

export type GraphLayerFactory = (context: GraphLayerContext) => tf.layers.Layer;

function configValue(context: GraphLayerContext, key: string): JsonValue {
  const value = context.config[key];
  if (value === undefined) {
    throw new Error(`${context.layer} layer '${context.name}': missing option '${key}'`);
  }
  return value;
}

function optionNumber(context: GraphLayerContext, key: string): number {
  const value = configValue(context, key);
  if (typeof value !== 'number') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a number`);
  return value;
}

function optionNumbers(context: GraphLayerContext, key: string): number[] {
  const value = configValue(context, key);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a list of numbers`);
  }
  return value as number[];
}

function optionBoolean(context: GraphLayerContext, key: string): boolean {
  const value = configValue(context, key);
  if (typeof value !== 'boolean') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a boolean`);
  return value;
}

function optionString(context: GraphLayerContext, key: string): string {
  const value = configValue(context, key);
  if (typeof value !== 'string') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a string`);
  return value;
}

function optionPadding(context: GraphLayerContext): 'valid' | 'same' {
  const padding = optionString(context, 'padding');
  if (padding !== 'valid' && padding !== 'same') {
    throw new Error(`${context.layer} layer '${context.name}': padding must be valid or same`);
  }
  return padding;
}

/** mlspec counts axes of one sample (0 is the first); tfjs counts the batch axis too. */
function sampleAxisToBatchAxis(axis: number): number {
  return axis >= 0 ? axis + 1 : axis;
}

function seededInitializer(context: GraphLayerContext, weight: string) {
  return mlspecInitializer(optionString(context, 'initializer'), deriveSeed(context.seed, 'init', context.name, weight));
}

/** use_bias and the kernel initializer of a layer with WeightOptions (biases start at zero). */
function kernelArgs(context: GraphLayerContext) {
  return {
    useBias: optionBoolean(context, 'use_bias'),
    kernelInitializer: seededInitializer(context, 'kernel'),
    biasInitializer: tf.initializers.zeros(),
  };
}

/** Recurrent layers: Keras' current defaults (sigmoid gates), the node's initializer for both kernels. */
function recurrentArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    units: optionNumber(context, 'units'),
    returnSequences: optionBoolean(context, 'return_sequences'),
    activation: mlspecActivationId(optionString(context, 'activation')),
    recurrentInitializer: seededInitializer(context, 'recurrent_kernel'),
    ...kernelArgs(context),
  };
}

function pool1dArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    poolSize: optionNumber(context, 'size'),
    strides: optionNumber(context, 'stride'),
    padding: optionPadding(context),
  };
}

function pool2dArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    poolSize: optionNumbers(context, 'size') as [number, number],
    strides: optionNumbers(context, 'stride') as [number, number],
    padding: optionPadding(context),
  };
}

/** Every mlspec layer kind except `input` (which becomes tf.input in buildModel). */
export const MLSPEC_LAYER_FACTORIES: Readonly<Record<string, GraphLayerFactory>> = {
  dense: (c) =>
    tf.layers.dense({
      name: c.name,
      units: optionNumber(c, 'units'),
      activation: mlspecActivationId(optionString(c, 'activation')),
      ...kernelArgs(c),
    }),
  activation: (c) => tf.layers.activation({ name: c.name, activation: mlspecActivationId(optionString(c, 'fn')) }),
  dropout: (c) => new SeededDropout({ name: c.name, rate: optionNumber(c, 'rate'), seed: c.seed }),
  flatten: (c) => tf.layers.flatten({ name: c.name }),
  reshape: (c) => tf.layers.reshape({ name: c.name, targetShape: optionNumbers(c, 'shape') }),
  batch_norm: (c) =>
    tf.layers.batchNormalization({
      name: c.name,
      momentum: optionNumber(c, 'momentum'),
      epsilon: optionNumber(c, 'epsilon'),
    }),
  layer_norm: (c) => tf.layers.layerNormalization({ name: c.name, epsilon: optionNumber(c, 'epsilon') }),
  conv1d: (c) =>
    tf.layers.conv1d({
      name: c.name,
      filters: optionNumber(c, 'filters'),
      kernelSize: optionNumber(c, 'kernel'),
      strides: optionNumber(c, 'stride'),
      padding: optionPadding(c),
      activation: mlspecActivationId(optionString(c, 'activation')),
      ...kernelArgs(c),
    }),
  conv2d: (c) =>
    tf.layers.conv2d({
      name: c.name,
      filters: optionNumber(c, 'filters'),
      kernelSize: optionNumbers(c, 'kernel'),
      strides: optionNumbers(c, 'stride'),
      padding: optionPadding(c),
      activation: mlspecActivationId(optionString(c, 'activation')),
      ...kernelArgs(c),
    }),
  max_pool1d: (c) => tf.layers.maxPooling1d(pool1dArgs(c)),
  avg_pool1d: (c) => tf.layers.averagePooling1d(pool1dArgs(c)),
  max_pool2d: (c) => tf.layers.maxPooling2d(pool2dArgs(c)),
  avg_pool2d: (c) => tf.layers.averagePooling2d(pool2dArgs(c)),
  global_max_pool1d: (c) => tf.layers.globalMaxPooling1d({ name: c.name }),
  global_avg_pool1d: (c) => tf.layers.globalAveragePooling1d({ name: c.name }),
  global_max_pool2d: (c) => tf.layers.globalMaxPooling2d({ name: c.name }),
  global_avg_pool2d: (c) => tf.layers.globalAveragePooling2d({ name: c.name }),
  embedding: (c) =>
    tf.layers.embedding({
      name: c.name,
      inputDim: optionNumber(c, 'vocab'),
      outputDim: optionNumber(c, 'dim'),
      embeddingsInitializer: seededInitializer(c, 'embeddings'),
    }),
  // recurrentActivation 'sigmoid' and unitForgetBias as in Keras 2.3+ (tfjs defaults to hardSigmoid).
  lstm: (c) => tf.layers.lstm({ ...recurrentArgs(c), recurrentActivation: 'sigmoid', unitForgetBias: true }),
  // tfjs GRU has no reset_after: 3 * (units * (in + units) + units) weights.
  gru: (c) => tf.layers.gru({ ...recurrentArgs(c), recurrentActivation: 'sigmoid' }),
  simple_rnn: (c) => tf.layers.simpleRNN(recurrentArgs(c)),
  attention: (c) =>
    new MultiHeadSelfAttention({
      name: c.name,
      heads: optionNumber(c, 'heads'),
      keyDim: optionNumber(c, 'key_dim'),
      dropout: optionNumber(c, 'dropout'),
      causal: optionBoolean(c, 'causal'),
      seed: c.seed,
    }),
  transformer: (c) =>
    new TransformerEncoder({
      name: c.name,
      heads: optionNumber(c, 'heads'),
      keyDim: optionNumber(c, 'key_dim'),
      ff: optionNumber(c, 'ff'),
      dropout: optionNumber(c, 'dropout'),
      causal: optionBoolean(c, 'causal'),
      epsilon: optionNumber(c, 'epsilon'),
      seed: c.seed,
    }),
  positional_embedding: (c) =>
    new PositionalEmbedding({ name: c.name, maxLength: optionNumber(c, 'max_length'), seed: c.seed }),
  add: (c) => tf.layers.add({ name: c.name }),
  multiply: (c) => tf.layers.multiply({ name: c.name }),
  concat: (c) => tf.layers.concatenate({ name: c.name, axis: sampleAxisToBatchAxis(optionNumber(c, 'axis')) }),
};
