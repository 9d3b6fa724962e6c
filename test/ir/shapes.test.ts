/**
 * Shape inference against tfjs-layers itself (output shapes and countParams of the same layers),
 * and against hand-computed counts for the layers tfjs-layers lacks (attention, transformer,
 * positional embedding).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { buildIR } from '../../src/ir/build.js';
import { inferShapes, totalParams } from '../../src/ir/shapes.js';
import type { ModelIR } from '../../src/ir/types.js';
import { parse } from '../../src/syntax/parse.js';

function model(layers: string): ModelIR {
  const source = `model {\n${layers}\n}\ndata { source: random(samples: 4, features: 1) }\nloss: mse\noptimizer: adam\n`;
  const built = buildIR(parse(source, 'm.mlspec').ast, 'm.mlspec');
  expect(built.diagnostics).toEqual([]);
  return built.ir!.model;
}

/** Shape and parameter count of the last node of `layers`. */
function last(layers: string): { shape: (number | null)[] | undefined; params: number | undefined; problems: string[] } {
  const m = model(layers);
  const inference = inferShapes(m);
  const name = m.nodes[m.nodes.length - 1]!.name;
  return { shape: inference.shapes.get(name), params: inference.params.get(name), problems: inference.diagnostics.map((d) => d.message) };
}

/** What tfjs-layers says for one layer applied to an input of `inputShape` (batch dimension dropped). */
function tfjsLayer(inputShape: number[], layer: tf.layers.Layer): { shape: (number | null)[]; params: number } {
  const input = tf.input({ shape: inputShape });
  const output = layer.apply(input) as tf.SymbolicTensor;
  return { shape: output.shape.slice(1), params: layer.countParams() };
}

const cases: Array<[string, number[], string, () => tf.layers.Layer]> = [
  ['dense', [4], 'dense(8)', () => tf.layers.dense({ units: 8 })],
  ['dense without bias', [4], 'dense(8, use_bias: false)', () => tf.layers.dense({ units: 8, useBias: false })],
  ['dense on rank 3', [5, 3], 'dense(4)', () => tf.layers.dense({ units: 4 })],
  ['conv1d valid, stride 2', [10, 3], 'conv1d(4, 3, stride: 2)', () => tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 2 })],
  ['conv1d same', [10, 3], 'conv1d(4, 3, stride: 3, padding: same)', () => tf.layers.conv1d({ filters: 4, kernelSize: 3, strides: 3, padding: 'same' })],
  ['conv2d same', [8, 8, 1], 'conv2d(32, kernel: 3, padding: same)', () => tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' })],
  ['conv2d rectangular', [7, 9, 2], 'conv2d(5, kernel: [3, 2], stride: [2, 3])', () => tf.layers.conv2d({ filters: 5, kernelSize: [3, 2], strides: [2, 3] })],
  ['max_pool1d', [10, 3], 'max_pool1d(3, stride: 2)', () => tf.layers.maxPooling1d({ poolSize: 3, strides: 2 })],
  ['avg_pool1d same', [10, 3], 'avg_pool1d(3, padding: same)', () => tf.layers.averagePooling1d({ poolSize: 3, padding: 'same' })],
  ['max_pool2d', [7, 7, 4], 'max_pool2d(2)', () => tf.layers.maxPooling2d({ poolSize: 2 })],
  ['avg_pool2d same', [7, 7, 4], 'avg_pool2d(2, padding: same)', () => tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' })],
  ['global_max_pool1d', [10, 3], 'global_max_pool1d', () => tf.layers.globalMaxPooling1d({})],
  ['global_avg_pool2d', [5, 5, 6], 'global_avg_pool2d', () => tf.layers.globalAveragePooling2d({})],
  ['lstm', [20, 3], 'lstm(5)', () => tf.layers.lstm({ units: 5 })],
  ['lstm sequences', [20, 3], 'lstm(5, return_sequences: true)', () => tf.layers.lstm({ units: 5, returnSequences: true })],
  ['gru', [20, 3], 'gru(6)', () => tf.layers.gru({ units: 6 })],
  ['simple_rnn sequences', [20, 3], 'simple_rnn(7, return_sequences: true)', () => tf.layers.simpleRNN({ units: 7, returnSequences: true })],
  ['batch_norm', [6, 6, 3], 'batch_norm()', () => tf.layers.batchNormalization({})],
  ['layer_norm', [4, 6], 'layer_norm()', () => tf.layers.layerNormalization({})],
  ['flatten', [4, 5, 2], 'flatten', () => tf.layers.flatten({})],
  ['reshape', [12], 'reshape([3, 4])', () => tf.layers.reshape({ targetShape: [3, 4] })],
  ['dropout', [12], 'dropout(0.5)', () => tf.layers.dropout({ rate: 0.5 })],
  ['activation', [12], 'activation(relu)', () => tf.layers.activation({ activation: 'relu' })],
];

describe('inferShapes matches tfjs-layers', () => {
  test.each(cases)('%s', (_name, inputShape, layer, make) => {
    const expected = tfjsLayer(inputShape, make());
    const inferred = last(`input(shape: [${inputShape.join(', ')}])\n${layer}`);
    expect(inferred.problems).toEqual([]);
    expect({ shape: inferred.shape, params: inferred.params }).toEqual(expected);
  });

  test('embedding', () => {
    const input = tf.input({ shape: [8], dtype: 'int32' });
    const layer = tf.layers.embedding({ inputDim: 10, outputDim: 4 });
    const output = layer.apply(input) as tf.SymbolicTensor;
    const inferred = last('input(shape: [8], dtype: int32)\nembedding(10, 4)');
    expect({ shape: inferred.shape, params: inferred.params }).toEqual({ shape: output.shape.slice(1), params: layer.countParams() });
  });

  test('merges: concat and add', () => {
    const x = tf.input({ shape: [4] });
    const a = tf.layers.dense({ units: 6 }).apply(x) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
    const joined = tf.layers.concatenate().apply([a, b]) as tf.SymbolicTensor;
    const sum = tf.layers.add().apply([a, a]) as tf.SymbolicTensor;
    const m = model('x = input(shape: [4])\na = dense(6) <- x\nb = dense(3) <- x\nj = concat <- a, b\ns = add <- a, a');
    const inference = inferShapes(m);
    expect(inference.shapes.get('j')).toEqual(joined.shape.slice(1));
    expect(inference.shapes.get('s')).toEqual(sum.shape.slice(1));
    expect(totalParams(inference)).toBe(tf.model({ inputs: x, outputs: [joined, sum] }).countParams());
  });
});

describe('layers tfjs-layers does not have: counts by hand', () => {
  test('attention: Q, K, V and output projections with biases', () => {
    // d = 16, heads * key_dim = 8: Q, K, V: 3 * (16 * 8 + 8) = 408; output: 8 * 16 + 16 = 144.
    const inferred = last('input(shape: [10, 16])\nattention(heads: 2, key_dim: 4)');
    expect(inferred).toEqual({ shape: [10, 16], params: 408 + 144, problems: [] });
  });

  test('transformer: attention, two layer norms, feed-forward', () => {
    // d = 32, inner = 32: attention 3 * (32 * 32 + 32) + (32 * 32 + 32) = 4224; norms 2 * 64 = 128;
    // feed-forward 32 * 64 + 64 + 64 * 32 + 32 = 4192.
    const inferred = last('input(shape: [8, 32])\ntransformer(heads: 4, key_dim: 8, ff: 64)');
    expect(inferred).toEqual({ shape: [8, 32], params: 4224 + 128 + 4192, problems: [] });
  });

  test('positional_embedding: one vector per position', () => {
    expect(last('input(shape: [8, 32])\npositional_embedding(max_length: 10)')).toEqual({ shape: [8, 32], params: 320, problems: [] });
  });

  test('batch norm parameters are half non-trainable', () => {
    const inference = inferShapes(model('input(shape: [6])\nbatch_norm()'));
    expect(inference.params.get('batch_norm_1')).toBe(24);
    expect(inference.nonTrainable.get('batch_norm_1')).toBe(12);
  });
});

describe('inferShapes reports mismatches and skips what it cannot know', () => {
  test('add of different shapes names the layer and both shapes', () => {
    const inference = inferShapes(model('x = input(shape: [4])\na = dense(16) <- x\nb = dense(8) <- x\ns = add <- a, b'), 'm.mlspec');
    expect(inference.diagnostics.map((d) => [d.code, d.message, d.file])).toEqual([
      ['E0302', "Layer 's' cannot add shapes [16] and [8]; every input of add must have the same shape.", 'm.mlspec'],
    ]);
    expect(inference.shapes.has('s')).toBe(false);
  });

  test('a layer after an unknown shape is skipped without a cascade', () => {
    const inference = inferShapes(model('input(shape: [10])\nlstm(4)\ndense(2)\ndense(1)'));
    expect(inference.diagnostics.map((d) => d.code)).toEqual(['E0301']);
    expect([...inference.shapes.keys()]).toEqual(['input_1']);
  });

  test('concat on another axis, and a bad axis', () => {
    expect(last('x = input(shape: [4, 3])\na = dense(3) <- x\nj = concat(axis: 0) <- x, a').shape).toEqual([8, 3]);
    expect(last('x = input(shape: [4, 3])\nj = concat(axis: 2) <- x, x').problems[0]).toMatch(/axis 2/);
  });

  test('a valid window bigger than its input leaves an empty output', () => {
    expect(last('input(shape: [3, 3, 1])\nmax_pool2d(4)').problems[0]).toMatch(/empty output/);
  });
});
