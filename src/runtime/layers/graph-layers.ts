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

function graphOptionValue(context: GraphLayerContext, key: string): JsonValue {
  const value = context.config[key];
  if (value === undefined) {
    throw new Error(`${context.layer} layer '${context.name}': missing option '${key}'`);
  }
  return value;
}

function graphOptionNumber(context: GraphLayerContext, key: string): number {
  const value = graphOptionValue(context, key);
  if (typeof value !== 'number') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a number`);
  return value;
}

function graphOptionNumbers(context: GraphLayerContext, key: string): number[] {
  const value = graphOptionValue(context, key);
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number')) {
    throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a list of numbers`);
  }
  return value as number[];
}

function graphOptionBoolean(context: GraphLayerContext, key: string): boolean {
  const value = graphOptionValue(context, key);
  if (typeof value !== 'boolean') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a boolean`);
  return value;
}

function graphOptionString(context: GraphLayerContext, key: string): string {
  const value = graphOptionValue(context, key);
  if (typeof value !== 'string') throw new Error(`${context.layer} layer '${context.name}': '${key}' must be a string`);
  return value;
}

function graphOptionPadding(context: GraphLayerContext): 'valid' | 'same' {
  const padding = graphOptionString(context, 'padding');
  if (padding !== 'valid' && padding !== 'same') {
    throw new Error(`${context.layer} layer '${context.name}': padding must be valid or same`);
  }
  return padding;
}

/** mlspec counts axes of one sample (0 is the first); tfjs counts the batch axis too. */
function sampleAxisToBatchAxis(axis: number): number {
  return axis >= 0 ? axis + 1 : axis;
}

function graphSeededInitializer(context: GraphLayerContext, weight: string) {
  return mlspecInitializer(graphOptionString(context, 'initializer'), deriveSeed(context.seed, 'init', context.name, weight));
}

/** use_bias and the kernel initializer of a layer with WeightOptions (biases start at zero). */
function graphKernelArgs(context: GraphLayerContext) {
  return {
    useBias: graphOptionBoolean(context, 'use_bias'),
    kernelInitializer: graphSeededInitializer(context, 'kernel'),
    biasInitializer: tf.initializers.zeros(),
  };
}

/** Recurrent layers: Keras' current defaults (sigmoid gates), the node's initializer for both kernels. */
function graphRecurrentArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    units: graphOptionNumber(context, 'units'),
    returnSequences: graphOptionBoolean(context, 'return_sequences'),
    activation: mlspecActivationId(graphOptionString(context, 'activation')),
    recurrentInitializer: graphSeededInitializer(context, 'recurrent_kernel'),
    ...graphKernelArgs(context),
  };
}

function graphPool1dArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    poolSize: graphOptionNumber(context, 'size'),
    strides: graphOptionNumber(context, 'stride'),
    padding: graphOptionPadding(context),
  };
}

function graphPool2dArgs(context: GraphLayerContext) {
  return {
    name: context.name,
    poolSize: graphOptionNumbers(context, 'size') as [number, number],
    strides: graphOptionNumbers(context, 'stride') as [number, number],
    padding: graphOptionPadding(context),
  };
}

/** Every mlspec layer kind except `input` (which becomes tf.input in buildModel). */
export const MLSPEC_LAYER_FACTORIES: Readonly<Record<string, GraphLayerFactory>> = {
  dense: (c) =>
    tf.layers.dense({
      name: c.name,
      units: graphOptionNumber(c, 'units'),
      activation: mlspecActivationId(graphOptionString(c, 'activation')),
      ...graphKernelArgs(c),
    }),
  activation: (c) => tf.layers.activation({ name: c.name, activation: mlspecActivationId(graphOptionString(c, 'fn')) }),
  dropout: (c) => new SeededDropout({ name: c.name, rate: graphOptionNumber(c, 'rate'), seed: c.seed }),
  flatten: (c) => tf.layers.flatten({ name: c.name }),
  reshape: (c) => tf.layers.reshape({ name: c.name, targetShape: graphOptionNumbers(c, 'shape') }),
  batch_norm: (c) =>
    tf.layers.batchNormalization({
      name: c.name,
      momentum: graphOptionNumber(c, 'momentum'),
      epsilon: graphOptionNumber(c, 'epsilon'),
    }),
  layer_norm: (c) => tf.layers.layerNormalization({ name: c.name, epsilon: graphOptionNumber(c, 'epsilon') }),
  conv1d: (c) =>
    tf.layers.conv1d({
      name: c.name,
      filters: graphOptionNumber(c, 'filters'),
      kernelSize: graphOptionNumber(c, 'kernel'),
      strides: graphOptionNumber(c, 'stride'),
      padding: graphOptionPadding(c),
      activation: mlspecActivationId(graphOptionString(c, 'activation')),
      ...graphKernelArgs(c),
    }),
  conv2d: (c) =>
    tf.layers.conv2d({
      name: c.name,
      filters: graphOptionNumber(c, 'filters'),
      kernelSize: graphOptionNumbers(c, 'kernel'),
      strides: graphOptionNumbers(c, 'stride'),
      padding: graphOptionPadding(c),
      activation: mlspecActivationId(graphOptionString(c, 'activation')),
      ...graphKernelArgs(c),
    }),
  max_pool1d: (c) => tf.layers.maxPooling1d(graphPool1dArgs(c)),
  avg_pool1d: (c) => tf.layers.averagePooling1d(graphPool1dArgs(c)),
  max_pool2d: (c) => tf.layers.maxPooling2d(graphPool2dArgs(c)),
  avg_pool2d: (c) => tf.layers.averagePooling2d(graphPool2dArgs(c)),
  global_max_pool1d: (c) => tf.layers.globalMaxPooling1d({ name: c.name }),
  global_avg_pool1d: (c) => tf.layers.globalAveragePooling1d({ name: c.name }),
  global_max_pool2d: (c) => tf.layers.globalMaxPooling2d({ name: c.name }),
  global_avg_pool2d: (c) => tf.layers.globalAveragePooling2d({ name: c.name }),
  embedding: (c) =>
    tf.layers.embedding({
      name: c.name,
      inputDim: graphOptionNumber(c, 'vocab'),
      outputDim: graphOptionNumber(c, 'dim'),
      embeddingsInitializer: graphSeededInitializer(c, 'embeddings'),
    }),
  // recurrentActivation 'sigmoid' and unitForgetBias as in Keras 2.3+ (tfjs defaults to hardSigmoid).
  lstm: (c) => tf.layers.lstm({ ...graphRecurrentArgs(c), recurrentActivation: 'sigmoid', unitForgetBias: true }),
  // tfjs GRU has no reset_after: 3 * (units * (in + units) + units) weights.
  gru: (c) => tf.layers.gru({ ...graphRecurrentArgs(c), recurrentActivation: 'sigmoid' }),
  simple_rnn: (c) => tf.layers.simpleRNN(graphRecurrentArgs(c)),
  attention: (c) =>
    new MultiHeadSelfAttention({
      name: c.name,
      heads: graphOptionNumber(c, 'heads'),
      keyDim: graphOptionNumber(c, 'key_dim'),
      dropout: graphOptionNumber(c, 'dropout'),
      causal: graphOptionBoolean(c, 'causal'),
      seed: c.seed,
    }),
  transformer: (c) =>
    new TransformerEncoder({
      name: c.name,
      heads: graphOptionNumber(c, 'heads'),
      keyDim: graphOptionNumber(c, 'key_dim'),
      ff: graphOptionNumber(c, 'ff'),
      dropout: graphOptionNumber(c, 'dropout'),
      causal: graphOptionBoolean(c, 'causal'),
      epsilon: graphOptionNumber(c, 'epsilon'),
      seed: c.seed,
    }),
  positional_embedding: (c) =>
    new PositionalEmbedding({ name: c.name, maxLength: graphOptionNumber(c, 'max_length'), seed: c.seed }),
  add: (c) => tf.layers.add({ name: c.name }),
  multiply: (c) => tf.layers.multiply({ name: c.name }),
  concat: (c) => tf.layers.concatenate({ name: c.name, axis: sampleAxisToBatchAxis(graphOptionNumber(c, 'axis')) }),
};
