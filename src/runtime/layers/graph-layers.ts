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

/** The initializer `name` of a layer's weight, seeded from the run's seed, the layer's tfjs name and the weight. */
export function seededInitializer(name: string, seed: number, layer: string, weight: string) {
  return mlspecInitializer(name, deriveSeed(seed, 'init', layer, weight));
}

function graphSeededInitializer(context: GraphLayerContext, weight: string) {
  return seededInitializer(graphOptionString(context, 'initializer'), context.seed, context.name, weight);
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

// One factory per layer kind, so that a compiled program carries only the kinds its spec uses.

export const denseLayerFactory: GraphLayerFactory = (c) =>
  tf.layers.dense({
    name: c.name,
    units: graphOptionNumber(c, 'units'),
    activation: mlspecActivationId(graphOptionString(c, 'activation')),
    ...graphKernelArgs(c),
  });

export const activationLayerFactory: GraphLayerFactory = (c) => tf.layers.activation({ name: c.name, activation: mlspecActivationId(graphOptionString(c, 'fn')) });

export const dropoutLayerFactory: GraphLayerFactory = (c) => {
  // Registered for serialisation only when a spec uses it (save, load, --init-from).
  tf.serialization.registerClass(SeededDropout);
  return new SeededDropout({ name: c.name, rate: graphOptionNumber(c, 'rate'), seed: c.seed });
};

export const flattenLayerFactory: GraphLayerFactory = (c) => tf.layers.flatten({ name: c.name });

export const reshapeLayerFactory: GraphLayerFactory = (c) => tf.layers.reshape({ name: c.name, targetShape: graphOptionNumbers(c, 'shape') });

export const batchNormLayerFactory: GraphLayerFactory = (c) =>
  tf.layers.batchNormalization({
    name: c.name,
    momentum: graphOptionNumber(c, 'momentum'),
    epsilon: graphOptionNumber(c, 'epsilon'),
  });

export const layerNormLayerFactory: GraphLayerFactory = (c) => tf.layers.layerNormalization({ name: c.name, epsilon: graphOptionNumber(c, 'epsilon') });

export const conv1dLayerFactory: GraphLayerFactory = (c) =>
  tf.layers.conv1d({
    name: c.name,
    filters: graphOptionNumber(c, 'filters'),
    kernelSize: graphOptionNumber(c, 'kernel'),
    strides: graphOptionNumber(c, 'stride'),
    padding: graphOptionPadding(c),
    activation: mlspecActivationId(graphOptionString(c, 'activation')),
    ...graphKernelArgs(c),
  });

export const conv2dLayerFactory: GraphLayerFactory = (c) =>
  tf.layers.conv2d({
    name: c.name,
    filters: graphOptionNumber(c, 'filters'),
    kernelSize: graphOptionNumbers(c, 'kernel'),
    strides: graphOptionNumbers(c, 'stride'),
    padding: graphOptionPadding(c),
    activation: mlspecActivationId(graphOptionString(c, 'activation')),
    ...graphKernelArgs(c),
  });

export const maxPool1dLayerFactory: GraphLayerFactory = (c) => tf.layers.maxPooling1d(graphPool1dArgs(c));

export const avgPool1dLayerFactory: GraphLayerFactory = (c) => tf.layers.averagePooling1d(graphPool1dArgs(c));

export const maxPool2dLayerFactory: GraphLayerFactory = (c) => tf.layers.maxPooling2d(graphPool2dArgs(c));

export const avgPool2dLayerFactory: GraphLayerFactory = (c) => tf.layers.averagePooling2d(graphPool2dArgs(c));

export const globalMaxPool1dLayerFactory: GraphLayerFactory = (c) => tf.layers.globalMaxPooling1d({ name: c.name });

export const globalAvgPool1dLayerFactory: GraphLayerFactory = (c) => tf.layers.globalAveragePooling1d({ name: c.name });

export const globalMaxPool2dLayerFactory: GraphLayerFactory = (c) => tf.layers.globalMaxPooling2d({ name: c.name });

export const globalAvgPool2dLayerFactory: GraphLayerFactory = (c) => tf.layers.globalAveragePooling2d({ name: c.name });

export const embeddingLayerFactory: GraphLayerFactory = (c) =>
  tf.layers.embedding({
    name: c.name,
    inputDim: graphOptionNumber(c, 'vocab'),
    outputDim: graphOptionNumber(c, 'dim'),
    embeddingsInitializer: graphSeededInitializer(c, 'embeddings'),
  });

// recurrentActivation 'sigmoid' and unitForgetBias as in Keras 2.3+ (tfjs defaults to hardSigmoid).
export const lstmLayerFactory: GraphLayerFactory = (c) => tf.layers.lstm({ ...graphRecurrentArgs(c), recurrentActivation: 'sigmoid', unitForgetBias: true });

// tfjs GRU has no reset_after: 3 * (units * (in + units) + units) weights.
export const gruLayerFactory: GraphLayerFactory = (c) => tf.layers.gru({ ...graphRecurrentArgs(c), recurrentActivation: 'sigmoid' });

export const simpleRnnLayerFactory: GraphLayerFactory = (c) => tf.layers.simpleRNN(graphRecurrentArgs(c));

export const attentionLayerFactory: GraphLayerFactory = (c) => {
  // Registered for serialisation only when a spec uses it (save, load, --init-from).
  tf.serialization.registerClass(MultiHeadSelfAttention);
  return new MultiHeadSelfAttention({
    name: c.name,
    heads: graphOptionNumber(c, 'heads'),
    keyDim: graphOptionNumber(c, 'key_dim'),
    dropout: graphOptionNumber(c, 'dropout'),
    causal: graphOptionBoolean(c, 'causal'),
    seed: c.seed,
  });
};

export const transformerLayerFactory: GraphLayerFactory = (c) => {
  // Registered for serialisation only when a spec uses it (save, load, --init-from).
  tf.serialization.registerClass(TransformerEncoder);
  return new TransformerEncoder({
    name: c.name,
    heads: graphOptionNumber(c, 'heads'),
    keyDim: graphOptionNumber(c, 'key_dim'),
    ff: graphOptionNumber(c, 'ff'),
    dropout: graphOptionNumber(c, 'dropout'),
    causal: graphOptionBoolean(c, 'causal'),
    epsilon: graphOptionNumber(c, 'epsilon'),
    seed: c.seed,
  });
};

export const positionalEmbeddingLayerFactory: GraphLayerFactory = (c) => {
  // Registered for serialisation only when a spec uses it (save, load, --init-from).
  tf.serialization.registerClass(PositionalEmbedding);
  return new PositionalEmbedding({ name: c.name, maxLength: graphOptionNumber(c, 'max_length'), seed: c.seed });
};

export const addLayerFactory: GraphLayerFactory = (c) => tf.layers.add({ name: c.name });

export const multiplyLayerFactory: GraphLayerFactory = (c) => tf.layers.multiply({ name: c.name });

export const concatLayerFactory: GraphLayerFactory = (c) => tf.layers.concatenate({ name: c.name, axis: sampleAxisToBatchAxis(graphOptionNumber(c, 'axis')) });

/** Every mlspec layer kind except `input` (which becomes tf.input in buildModel), by kind. */
export const MLSPEC_LAYER_FACTORIES: Readonly<Record<string, GraphLayerFactory>> = {
  dense: denseLayerFactory,
  activation: activationLayerFactory,
  dropout: dropoutLayerFactory,
  flatten: flattenLayerFactory,
  reshape: reshapeLayerFactory,
  batch_norm: batchNormLayerFactory,
  layer_norm: layerNormLayerFactory,
  conv1d: conv1dLayerFactory,
  conv2d: conv2dLayerFactory,
  max_pool1d: maxPool1dLayerFactory,
  avg_pool1d: avgPool1dLayerFactory,
  max_pool2d: maxPool2dLayerFactory,
  avg_pool2d: avgPool2dLayerFactory,
  global_max_pool1d: globalMaxPool1dLayerFactory,
  global_avg_pool1d: globalAvgPool1dLayerFactory,
  global_max_pool2d: globalMaxPool2dLayerFactory,
  global_avg_pool2d: globalAvgPool2dLayerFactory,
  embedding: embeddingLayerFactory,
  lstm: lstmLayerFactory,
  gru: gruLayerFactory,
  simple_rnn: simpleRnnLayerFactory,
  attention: attentionLayerFactory,
  transformer: transformerLayerFactory,
  positional_embedding: positionalEmbeddingLayerFactory,
  add: addLayerFactory,
  multiply: multiplyLayerFactory,
  concat: concatLayerFactory,
};
