import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { PositionalEmbedding } from '../../../src/runtime/layers/positional-embedding.js';
import { weightOf } from './reference-math.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

function built(maxLength: number, d: number): PositionalEmbedding {
  const layer = new PositionalEmbedding({ name: 'pos', maxLength, seed: 3 });
  layer.apply(tf.zeros([1, 1, d]));
  return layer;
}

describe('PositionalEmbedding', () => {
  it('has a [maxLength, d] table', () => {
    const layer = built(10, 4);
    expect(layer.countParams()).toBe(40);
    expect(layer.weights[0]!.shape).toEqual([10, 4]);
  });

  it('adds the first seq rows of the table to every sample', () => {
    const layer = built(10, 4);
    const table = weightOf(layer, 'embeddings') as number[][];
    const x = tf.randomNormal([2, 6, 4], 0, 1, 'float32', 1);
    const out = (layer.apply(x) as tf.Tensor).arraySync() as number[][][];
    const xs = x.arraySync() as number[][][];
    xs.forEach((sample, b) =>
      sample.forEach((row, i) => row.forEach((v, j) => expect(out[b]![i]![j]).toBeCloseTo(v + table[i]![j]!, 6))),
    );
  });

  it('accepts a sequence of exactly maxLength and rejects a longer one', () => {
    const layer = built(5, 3);
    expect((layer.apply(tf.zeros([1, 5, 3])) as tf.Tensor).shape).toEqual([1, 5, 3]);
    expect(() => layer.apply(tf.zeros([1, 6, 3]))).toThrow("positional_embedding layer 'pos': sequence length 6 exceeds max_length 5");
  });

  it('passes gradients to the rows that were used, and only those', () => {
    const layer = built(6, 2);
    const table = layer.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => tf.sum(layer.apply(tf.ones([3, 4, 2])) as tf.Tensor) as tf.Scalar, [table]);
    // d sum / d table[i][j] = batch size (3) for the 4 used rows, 0 for the rest.
    expect(grads[table.name]!.arraySync()).toEqual([[3, 3], [3, 3], [3, 3], [3, 3], [0, 0], [0, 0]]);
  });

  it('serialises maxLength and seed', () => {
    const config = built(7, 2).getConfig();
    expect(config).toMatchObject({ name: 'pos', maxLength: 7, seed: 3 });
    expect((PositionalEmbedding.fromConfig(PositionalEmbedding, config) as PositionalEmbedding).getConfig()).toEqual(config);
  });
});
