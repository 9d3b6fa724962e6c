/** Option schemas of every layer kind (src/ir/types.ts LayerConfigs). */
import type { LayerKind } from '../types.js';
import { activationType, initializerType, paddingType } from './enums.js';
import {
  atLeastOne,
  byDefault,
  derived,
  fraction,
  nonNegative,
  positive,
  required,
  type CallSchema,
  type OptionSchema,
} from './types.js';

const int = { kind: 'int' } as const;
const number = { kind: 'number' } as const;
const bool = { kind: 'bool' } as const;
const ints = { kind: 'ints' } as const;
const intPair = { kind: 'int_pair' } as const;

const weightOptions: OptionSchema[] = [
  { name: 'initializer', type: initializerType, default: byDefault('glorot_uniform'), doc: 'Initializer of the kernel (biases start at zero).' },
  { name: 'use_bias', type: bool, default: byDefault(true), doc: 'Add a learned bias.' },
  { name: 'l1', type: number, default: byDefault(0), domain: nonNegative, doc: 'L1 penalty on the kernel, added to the loss.' },
  { name: 'l2', type: number, default: byDefault(0), domain: nonNegative, doc: 'L2 penalty on the kernel, added to the loss.' },
];

const activation = (fallback: string): OptionSchema => ({
  name: 'activation',
  type: activationType,
  default: byDefault(fallback),
  doc: 'Activation applied to the output.',
});

const padding: OptionSchema = { name: 'padding', type: paddingType, default: byDefault('valid'), doc: '`valid` (no padding) or `same` (output length = ceil(input / stride)).' };

/** Pool stride defaults to the pool size, as in Keras. */
const strideFromSize = (config: Record<string, unknown>): void => {
  if (config.stride === undefined) config.stride = config.size;
};

const pool = (name: string, dims: 1 | 2, doc: string): CallSchema => ({
  name,
  doc,
  positional: ['size', 'stride'],
  options: [
    { name: 'size', type: dims === 1 ? int : intPair, default: byDefault(dims === 1 ? 2 : [2, 2]), domain: atLeastOne, doc: 'Window size.' },
    { name: 'stride', type: dims === 1 ? int : intPair, default: derived('the size'), domain: atLeastOne, doc: 'Step between windows.' },
    padding,
  ],
  derive: strideFromSize,
});

const globalPool = (name: string, doc: string): CallSchema => ({ name, doc, positional: [], options: [] });

const recurrent = (name: string, doc: string): CallSchema => ({
  name,
  doc,
  positional: ['units'],
  options: [
    { name: 'units', type: int, default: required, domain: atLeastOne, doc: 'Size of the hidden state.' },
    { name: 'return_sequences', type: bool, default: byDefault(false), doc: 'Output the state at every step ([steps, units]) instead of the last one ([units]).' },
    activation('tanh'),
    ...weightOptions,
  ],
});

const merge = (name: string, doc: string): CallSchema => ({ name, doc, positional: [], options: [] });

export const layerSchemas: Record<LayerKind, CallSchema> = {
  input: {
    name: 'input',
    doc: 'The model input: the shape of one sample (without the batch dimension).',
    positional: ['shape'],
    options: [
      { name: 'shape', type: ints, default: required, domain: atLeastOne, doc: 'Shape of one sample.' },
      { name: 'dtype', type: { kind: 'enum', of: 'dtype', values: ['float32', 'int32'] }, default: byDefault('float32'), doc: '`int32` for token ids (needed by embedding): sequence data, or CSV feature columns whose cells are all integers.' },
      { name: 'from', type: { kind: 'names' }, default: byDefault(null), doc: 'The CSV columns this input reads, in order; needed when the model has several inputs (each reads its own columns).' },
      {
        name: 'normalize',
        type: { kind: 'enum', of: 'normalization', values: ['none', 'zscore', 'minmax'] },
        default: byDefault(null),
        doc: 'Scaling of this input\'s numeric columns (fitted on the training split), instead of the data section\'s `normalize`; category, binary and token columns are never scaled.',
      },
      {
        name: 'missing',
        type: { kind: 'enum', of: 'missing-value rule', values: ['error', 'drop', 'zero', 'mean'] },
        default: byDefault(null),
        doc: 'Empty cells in this input\'s columns, instead of csv(missing: ...): an error, drop the row, 0 (an unseen category), or the training mean.',
      },
    ],
  },
  dense: {
    name: 'dense',
    doc: 'Fully connected layer; on inputs of rank > 1 it applies to the last axis.',
    positional: ['units'],
    options: [
      { name: 'units', type: int, default: required, domain: atLeastOne, doc: 'Number of outputs.' },
      activation('linear'),
      ...weightOptions,
    ],
  },
  activation: {
    name: 'activation',
    doc: 'Applies an activation function.',
    positional: ['fn'],
    options: [{ name: 'fn', type: activationType, default: required, doc: 'The function.' }],
  },
  dropout: {
    name: 'dropout',
    doc: 'Sets a random fraction of the inputs to zero during training (scaling the rest by 1 / (1 - rate)).',
    positional: ['rate'],
    options: [{ name: 'rate', type: number, default: required, domain: fraction, doc: 'Fraction dropped.' }],
  },
  flatten: { name: 'flatten', doc: 'Flattens each sample to one axis.', positional: [], options: [] },
  reshape: {
    name: 'reshape',
    doc: 'Reshapes each sample; the number of values must stay the same.',
    positional: ['shape'],
    options: [{ name: 'shape', type: ints, default: required, domain: atLeastOne, doc: 'New shape of one sample.' }],
  },
  batch_norm: {
    name: 'batch_norm',
    doc: 'Batch normalization over the last axis (moving statistics for inference).',
    positional: [],
    options: [
      { name: 'momentum', type: number, default: byDefault(0.99), domain: fraction, doc: 'Momentum of the moving mean and variance.' },
      { name: 'epsilon', type: number, default: byDefault(0.001), domain: positive, doc: 'Added to the variance.' },
    ],
  },
  layer_norm: {
    name: 'layer_norm',
    doc: 'Layer normalization over the last axis.',
    positional: [],
    options: [{ name: 'epsilon', type: number, default: byDefault(0.001), domain: positive, doc: 'Added to the variance.' }],
  },
  conv1d: {
    name: 'conv1d',
    doc: '1-D convolution over a [steps, channels] input.',
    positional: ['filters', 'kernel'],
    options: [
      { name: 'filters', type: int, default: required, domain: atLeastOne, doc: 'Number of output channels.' },
      { name: 'kernel', type: int, default: required, domain: atLeastOne, doc: 'Kernel length.' },
      { name: 'stride', type: int, default: byDefault(1), domain: atLeastOne, doc: 'Step of the kernel.' },
      padding,
      activation('linear'),
      ...weightOptions,
    ],
  },
  conv2d: {
    name: 'conv2d',
    doc: '2-D convolution over a [height, width, channels] input.',
    positional: ['filters', 'kernel'],
    options: [
      { name: 'filters', type: int, default: required, domain: atLeastOne, doc: 'Number of output channels.' },
      { name: 'kernel', type: intPair, default: required, domain: atLeastOne, doc: 'Kernel size; `3` means [3, 3].' },
      { name: 'stride', type: intPair, default: byDefault([1, 1]), domain: atLeastOne, doc: 'Step of the kernel; `2` means [2, 2].' },
      padding,
      activation('linear'),
      ...weightOptions,
    ],
  },
  max_pool1d: pool('max_pool1d', 1, 'Maximum over windows of a [steps, channels] input.'),
  avg_pool1d: pool('avg_pool1d', 1, 'Average over windows of a [steps, channels] input.'),
  max_pool2d: pool('max_pool2d', 2, 'Maximum over windows of a [height, width, channels] input; `2` means [2, 2].'),
  avg_pool2d: pool('avg_pool2d', 2, 'Average over windows of a [height, width, channels] input; `2` means [2, 2].'),
  global_max_pool1d: globalPool('global_max_pool1d', 'Maximum over the steps: [steps, channels] -> [channels].'),
  global_avg_pool1d: globalPool('global_avg_pool1d', 'Average over the steps: [steps, channels] -> [channels].'),
  global_max_pool2d: globalPool('global_max_pool2d', 'Maximum over height and width: [h, w, channels] -> [channels].'),
  global_avg_pool2d: globalPool('global_avg_pool2d', 'Average over height and width: [h, w, channels] -> [channels].'),
  embedding: {
    name: 'embedding',
    doc: 'Maps int32 token ids to learned vectors: [steps] -> [steps, dim].',
    positional: ['vocab', 'dim'],
    options: [
      { name: 'vocab', type: int, default: required, domain: atLeastOne, doc: 'Number of distinct tokens (ids 0 .. vocab - 1).' },
      { name: 'dim', type: int, default: required, domain: atLeastOne, doc: 'Size of each vector.' },
      { name: 'initializer', type: initializerType, default: byDefault('random_uniform'), doc: 'Initializer of the vectors (Keras: uniform in [-0.05, 0.05]).' },
    ],
  },
  lstm: recurrent('lstm', 'Long short-term memory over a [steps, features] input.'),
  gru: recurrent('gru', 'Gated recurrent unit over a [steps, features] input (reset gate before the matrix product, as tfjs).'),
  simple_rnn: recurrent('simple_rnn', 'Fully connected recurrent layer over a [steps, features] input.'),
  attention: {
    name: 'attention',
    doc: 'Multi-head self-attention over a [steps, features] input; the output has the input shape.',
    positional: ['heads', 'key_dim'],
    options: [
      { name: 'heads', type: int, default: required, domain: atLeastOne, doc: 'Number of heads.' },
      { name: 'key_dim', type: int, default: required, domain: atLeastOne, doc: 'Size of each head\'s queries and keys.' },
      { name: 'dropout', type: number, default: byDefault(0), domain: fraction, doc: 'Dropout on the attention weights.' },
      { name: 'causal', type: bool, default: byDefault(false), doc: 'Each step attends only to itself and earlier steps.' },
    ],
  },
  transformer: {
    name: 'transformer',
    doc: 'Transformer encoder block: attention + residual + layer norm, then a relu feed-forward d -> ff -> d + residual + layer norm.',
    positional: ['heads', 'key_dim', 'ff'],
    options: [
      { name: 'heads', type: int, default: required, domain: atLeastOne, doc: 'Number of attention heads.' },
      { name: 'key_dim', type: int, default: required, domain: atLeastOne, doc: 'Size of each head\'s queries and keys.' },
      { name: 'ff', type: int, default: required, domain: atLeastOne, doc: 'Hidden size of the feed-forward part.' },
      { name: 'dropout', type: number, default: byDefault(0), domain: fraction, doc: 'Dropout after attention and feed-forward.' },
      { name: 'causal', type: bool, default: byDefault(false), doc: 'Each step attends only to itself and earlier steps.' },
      { name: 'epsilon', type: number, default: byDefault(1e-5), domain: positive, doc: 'Epsilon of both layer norms.' },
    ],
  },
  positional_embedding: {
    name: 'positional_embedding',
    doc: 'Adds a learned vector per position to a [steps, dim] input.',
    positional: ['max_length'],
    options: [{ name: 'max_length', type: int, default: required, domain: atLeastOne, doc: 'Longest sequence supported.' }],
  },
  add: merge('add', 'Element-wise sum of two or more inputs of the same shape.'),
  multiply: merge('multiply', 'Element-wise product of two or more inputs of the same shape.'),
  concat: {
    name: 'concat',
    doc: 'Joins two or more inputs along an axis; the other axes must match.',
    positional: ['axis'],
    options: [
      { name: 'axis', type: int, default: byDefault(-1), doc: 'Axis of the sample shape (without the batch dimension; 0 is the first); negative counts from the end.' },
    ],
  },
};
