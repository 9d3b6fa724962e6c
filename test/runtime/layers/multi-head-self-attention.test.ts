import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setDropoutStep } from '../../../src/runtime/layers/dropout.js';
import { MultiHeadSelfAttention } from '../../../src/runtime/layers/multi-head-self-attention.js';
import { attentionWeightsOf, expectClose, randomiseWeights, referenceAttention, type Matrix } from './reference-math.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const d = 6;
const heads = 2;
const keyDim = 3;

function attentionLayer(causal: boolean, dropout = 0, name = 'att'): MultiHeadSelfAttention {
  const layer = new MultiHeadSelfAttention({ name, heads, keyDim, dropout, causal, seed: 11 });
  layer.apply(tf.zeros([1, 4, d])); // builds the weights
  return layer;
}

const run = (layer: tf.layers.Layer, x: tf.Tensor, training = false) =>
  layer.apply(x, { training }) as tf.Tensor;

describe('MultiHeadSelfAttention', () => {
  it('has 3*(d*h*k + h*k) + h*k*d + d weights', () => {
    const layer = attentionLayer(false);
    expect(layer.countParams()).toBe(3 * (d * heads * keyDim + heads * keyDim) + heads * keyDim * d + d);
    expect(layer.weights).toHaveLength(8);
  });

  it.each([false, true])('matches a loop-by-loop reference (causal: %s)', (causal) => {
    const layer = attentionLayer(causal);
    randomiseWeights(layer, 3);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 4);
    const out = run(layer, x).arraySync() as Matrix[];
    const w = attentionWeightsOf(layer);
    const expected = (x.arraySync() as Matrix[]).map((seq) => referenceAttention(seq, w, heads, keyDim, causal));
    expectClose(out, expected, 1e-4);
    expect(out[0]!.length).toBe(5);
    expect(out[0]![0]!.length).toBe(d);
  });

  it('with a causal mask, position i does not depend on tokens after i', () => {
    const layer = attentionLayer(true);
    randomiseWeights(layer, 5);
    const seq = 6;
    const base = tf.randomNormal([1, seq, d], 0, 1, 'float32', 6);
    const before = run(layer, base).arraySync() as Matrix[];
    for (let changed = 1; changed < seq; changed++) {
      // Replace token `changed` (and only it) with other values.
      const mask = tf.oneHot([changed], seq).reshape([1, seq, 1]);
      const altered = tf.add(base, tf.mul(mask, tf.randomNormal([1, seq, d], 0, 3, 'float32', 7 + changed)));
      const after = run(layer, altered).arraySync() as Matrix[];
      for (let i = 0; i < changed; i++) expect(after[0]![i], `position ${i}, token ${changed} changed`).toEqual(before[0]![i]);
      expect(after[0]![changed]).not.toEqual(before[0]![changed]);
    }
  });

  it('without a causal mask, position 0 depends on later tokens', () => {
    const layer = attentionLayer(false);
    randomiseWeights(layer, 5);
    const base = tf.randomNormal([1, 4, d], 0, 1, 'float32', 6);
    const altered = tf.concat([base.slice([0, 0, 0], [1, 3, d]), tf.fill([1, 1, d], 2)], 1);
    const a = run(layer, base).arraySync() as Matrix[];
    const b = run(layer, altered).arraySync() as Matrix[];
    expect(b[0]![0]).not.toEqual(a[0]![0]);
  });

  it('passes gradients to every weight (the key bias only up to rounding: softmax ignores it)', () => {
    const layer = attentionLayer(true, 0.2);
    randomiseWeights(layer, 8);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 9);
    const target = tf.randomNormal([2, 5, d], 0, 1, 'float32', 10);
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    setDropoutStep(0);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(run(layer, x, true), target)) as tf.Scalar, variables);
    const largest = (name: string) => Math.max(...[...grads[name]!.abs().dataSync()]);
    const queryBias = layer.trainableWeights.find((w) => w.originalName.endsWith('/query_bias'))!;
    const queryScale = largest((queryBias.read() as tf.Variable).name);
    for (const weight of layer.trainableWeights) {
      const size = largest((weight.read() as tf.Variable).name);
      if (weight.originalName.endsWith('/key_bias')) {
        // q_i . (k_j + b) = q_i . k_j + q_i . b: the same shift for every j, which softmax removes.
        expect(size).toBeLessThan(1e-4 * queryScale);
      } else {
        expect(size, weight.originalName).toBeGreaterThan(0);
      }
    }
  });

  it('applies seeded dropout to the attention weights only while training', () => {
    const layer = attentionLayer(false, 0.5);
    randomiseWeights(layer, 12);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 13);
    const inference = run(layer, x).dataSync();
    const withoutDropout = attentionLayer(false, 0, 'att_plain');
    withoutDropout.setWeights(layer.getWeights());
    expect(run(withoutDropout, x).dataSync()).toEqual(inference);

    setDropoutStep(4);
    const first = run(layer, x, true).dataSync();
    const again = run(layer, x, true).dataSync();
    setDropoutStep(5);
    const next = run(layer, x, true).dataSync();
    expect(first).not.toEqual(inference);
    expect(again).toEqual(first);
    expect(next).not.toEqual(first);
  });

  it('serialises its options', () => {
    const layer = attentionLayer(true, 0.1);
    const config = layer.getConfig();
    expect(config).toMatchObject({ name: 'att', heads, keyDim, dropout: 0.1, causal: true, seed: 11 });
    const rebuilt = MultiHeadSelfAttention.fromConfig(MultiHeadSelfAttention, config) as MultiHeadSelfAttention;
    expect(rebuilt.getConfig()).toEqual(config);
  });

  it('rejects an input that is not [batch, seq, features]', () => {
    const layer = new MultiHeadSelfAttention({ name: 'flat', heads: 1, keyDim: 2, dropout: 0, causal: false, seed: 1 });
    expect(() => layer.apply(tf.input({ shape: [6] }))).toThrow(/attention layer 'flat': expects input \[batch, seq, features\]/);
  });
});
