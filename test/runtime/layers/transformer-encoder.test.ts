import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setDropoutStep } from '../../../src/runtime/layers/dropout.js';
import { TransformerEncoder } from '../../../src/runtime/layers/transformer-encoder.js';
import {
  addMatrices,
  addRow,
  attentionWeightsOf,
  expectClose,
  matmul,
  randomiseWeights,
  referenceAttention,
  referenceLayerNorm,
  weightOf,
  type Matrix,
} from './reference-math.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const d = 8;
const heads = 2;
const keyDim = 4;
const ff = 12;
const epsilon = 1e-5;

function encoder(causal: boolean, dropout = 0, name = 'enc'): TransformerEncoder {
  const layer = new TransformerEncoder({ name, heads, keyDim, ff, dropout, causal, epsilon, seed: 21 });
  layer.apply(tf.zeros([1, 3, d]));
  return layer;
}

const run = (layer: tf.layers.Layer, x: tf.Tensor, training = false) => layer.apply(x, { training }) as tf.Tensor;

/** The post-norm block, computed with plain loops from the layer's weights. */
function referenceEncoder(layer: TransformerEncoder, x: Matrix, causal: boolean): Matrix {
  const attended = referenceAttention(x, attentionWeightsOf(layer, 'attention_'), heads, keyDim, causal);
  const h = referenceLayerNorm(addMatrices(x, attended), weightOf(layer, 'attention_norm_gamma'), weightOf(layer, 'attention_norm_beta'), epsilon);
  const inner = addRow(matmul(h, weightOf(layer, 'ff_inner_kernel')), weightOf(layer, 'ff_inner_bias')).map((row) => row.map((v) => Math.max(0, v)));
  const outer = addRow(matmul(inner, weightOf(layer, 'ff_outer_kernel')), weightOf(layer, 'ff_outer_bias'));
  return referenceLayerNorm(addMatrices(h, outer), weightOf(layer, 'output_norm_gamma'), weightOf(layer, 'output_norm_beta'), epsilon);
}

describe('TransformerEncoder', () => {
  it('has attention + 2*(2d) + (d*ff + ff) + (ff*d + d) weights', () => {
    const attention = 3 * (d * heads * keyDim + heads * keyDim) + heads * keyDim * d + d;
    expect(encoder(false).countParams()).toBe(attention + 2 * (2 * d) + (d * ff + ff) + (ff * d + d));
  });

  it.each([false, true])('matches a loop-by-loop post-norm block (causal: %s)', (causal) => {
    const layer = encoder(causal);
    randomiseWeights(layer, 30);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 31);
    const out = run(layer, x).arraySync() as Matrix[];
    const expected = (x.arraySync() as Matrix[]).map((seq) => referenceEncoder(layer, seq, causal));
    expectClose(out, expected, 2e-4);
  });

  it('with fresh weights, normalises each position to mean 0 and variance 1', () => {
    const out = run(encoder(false), tf.randomNormal([2, 4, d], 0, 3, 'float32', 1)).arraySync() as Matrix[];
    for (const row of out.flat()) {
      const mean = row.reduce((s, v) => s + v, 0) / d;
      const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / d;
      expect(mean).toBeCloseTo(0, 5);
      expect(variance).toBeCloseTo(1, 3);
    }
  });

  it('with a causal mask, earlier positions ignore later tokens', () => {
    const layer = encoder(true);
    randomiseWeights(layer, 40);
    const base = tf.randomNormal([1, 5, d], 0, 1, 'float32', 41);
    const altered = tf.concat([base.slice([0, 0, 0], [1, 3, d]), tf.fill([1, 2, d], 5)], 1);
    const a = run(layer, base).arraySync() as Matrix[];
    const b = run(layer, altered).arraySync() as Matrix[];
    expect(b[0]!.slice(0, 3)).toEqual(a[0]!.slice(0, 3));
    expect(b[0]![3]).not.toEqual(a[0]![3]);
  });

  it('passes gradients to every weight (the attention key bias only up to rounding)', () => {
    const layer = encoder(false, 0.1);
    randomiseWeights(layer, 50);
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 51);
    const target = tf.randomNormal([2, 5, d], 0, 1, 'float32', 52);
    const variables = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    setDropoutStep(1);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(run(layer, x, true), target)) as tf.Scalar, variables);
    expect(Object.keys(grads)).toHaveLength(16);
    const largest = (w: tf.LayerVariable) => Math.max(...[...grads[(w.read() as tf.Variable).name]!.abs().dataSync()]);
    const queryScale = largest(layer.trainableWeights.find((w) => w.originalName.endsWith('/attention_query_bias'))!);
    for (const weight of layer.trainableWeights) {
      if (weight.originalName.endsWith('/attention_key_bias')) expect(largest(weight)).toBeLessThan(1e-4 * queryScale);
      else expect(largest(weight), weight.originalName).toBeGreaterThan(0);
    }
  });

  it('uses seeded dropout while training only', () => {
    const layer = encoder(false, 0.3);
    randomiseWeights(layer, 60);
    const plain = encoder(false, 0, 'enc_plain');
    plain.setWeights(layer.getWeights());
    const x = tf.randomNormal([2, 5, d], 0, 1, 'float32', 61);
    const inference = run(layer, x).dataSync();
    expect(run(plain, x).dataSync()).toEqual(inference);
    setDropoutStep(8);
    const first = run(layer, x, true).dataSync();
    const again = run(layer, x, true).dataSync();
    setDropoutStep(9);
    const next = run(layer, x, true).dataSync();
    expect(first).not.toEqual(inference);
    expect(again).toEqual(first);
    expect(next).not.toEqual(first);
  });

  it('serialises its options', () => {
    const config = encoder(true, 0.2).getConfig();
    expect(config).toMatchObject({ name: 'enc', heads, keyDim, ff, dropout: 0.2, causal: true, epsilon, seed: 21 });
    expect((TransformerEncoder.fromConfig(TransformerEncoder, config) as TransformerEncoder).getConfig()).toEqual(config);
  });
});
