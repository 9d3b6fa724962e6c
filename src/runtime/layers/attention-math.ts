/**
 * Multi-head scaled dot-product self-attention, shared by MultiHeadSelfAttention and
 * TransformerEncoder. Q, K and V of all heads come from one [d, heads*keyDim] kernel each.
 */
import * as tf from '@tensorflow/tfjs';
import type { MlspecTfInitializer } from './options.js';

/** Creates one weight of a layer (a bound Layer.addWeight). */
export type MlspecWeightAdder = (name: string, shape: number[], initializer: MlspecTfInitializer) => tf.LayerVariable;

export interface MlspecAttentionVariables {
  queryKernel: tf.LayerVariable;
  queryBias: tf.LayerVariable;
  keyKernel: tf.LayerVariable;
  keyBias: tf.LayerVariable;
  valueKernel: tf.LayerVariable;
  valueBias: tf.LayerVariable;
  outputKernel: tf.LayerVariable;
  outputBias: tf.LayerVariable;
}

/**
 * Adds the attention weights in a fixed order: query, key, value, output; kernels are
 * glorot_uniform (the Keras default) seeded by `seedFor(weight name)`, biases zeros.
 * Weight count: 3*(d*h*k + h*k) + h*k*d + d.
 */
export function addAttentionVariables(
  add: MlspecWeightAdder,
  prefix: string,
  modelDim: number,
  heads: number,
  keyDim: number,
  seedFor: (weightName: string) => number,
): MlspecAttentionVariables {
  const projected = heads * keyDim;
  const kernel = (name: string, shape: number[]) =>
    add(`${prefix}${name}`, shape, tf.initializers.glorotUniform({ seed: seedFor(`${prefix}${name}`) }));
  const bias = (name: string, size: number) => add(`${prefix}${name}`, [size], tf.initializers.zeros());
  return {
    queryKernel: kernel('query_kernel', [modelDim, projected]),
    queryBias: bias('query_bias', projected),
    keyKernel: kernel('key_kernel', [modelDim, projected]),
    keyBias: bias('key_bias', projected),
    valueKernel: kernel('value_kernel', [modelDim, projected]),
    valueBias: bias('value_bias', projected),
    outputKernel: kernel('output_kernel', [projected, modelDim]),
    outputBias: bias('output_bias', modelDim),
  };
}

export interface MlspecAttentionOptions {
  heads: number;
  keyDim: number;
  causal: boolean;
  /** Dropout on the attention probabilities; applied only when dropoutMask is given. */
  dropout: number;
  /** Applies dropout to the attention probabilities (training only), or null for none. */
  dropProbabilities: ((probabilities: tf.Tensor) => tf.Tensor) | null;
}

/** [seq, seq] additive mask: 0 where key j <= query i, -1e9 where j > i. */
export function causalAttentionMask(seq: number): tf.Tensor2D {
  const values = new Float32Array(seq * seq);
  for (let i = 0; i < seq; i++) {
    for (let j = i + 1; j < seq; j++) values[i * seq + j] = -1e9;
  }
  return tf.tensor2d(values, [seq, seq]);
}

/** [batch*seq, d] x [d, h*k] + bias -> [batch*heads, seq, keyDim]. */
function attentionProjectToHeads(
  rows: tf.Tensor2D,
  kernel: tf.Tensor,
  bias: tf.Tensor,
  batch: number,
  seq: number,
  heads: number,
  keyDim: number,
): tf.Tensor3D {
  const projected = tf.add(tf.matMul(rows, kernel as tf.Tensor2D), bias);
  const split = tf.reshape(projected, [batch, seq, heads, keyDim]);
  return tf.reshape(tf.transpose(split, [0, 2, 1, 3]), [batch * heads, seq, keyDim]);
}

/** Self-attention of x [batch, seq, d]; returns [batch, seq, d]. */
export function computeSelfAttention(
  x: tf.Tensor,
  w: MlspecAttentionVariables,
  options: MlspecAttentionOptions,
): tf.Tensor {
  return tf.tidy(() => {
    const [batch, seq, modelDim] = x.shape as [number, number, number];
    const { heads, keyDim } = options;
    const rows = tf.reshape(x, [batch * seq, modelDim]) as tf.Tensor2D;
    const q = attentionProjectToHeads(rows, w.queryKernel.read(), w.queryBias.read(), batch, seq, heads, keyDim);
    const k = attentionProjectToHeads(rows, w.keyKernel.read(), w.keyBias.read(), batch, seq, heads, keyDim);
    const v = attentionProjectToHeads(rows, w.valueKernel.read(), w.valueBias.read(), batch, seq, heads, keyDim);

    let scores: tf.Tensor = tf.div(tf.matMul(q, k, false, true), Math.sqrt(keyDim));
    if (options.causal) scores = tf.add(scores, causalAttentionMask(seq));
    let probabilities = tf.softmax(scores, -1);
    if (options.dropProbabilities !== null && options.dropout > 0) {
      probabilities = options.dropProbabilities(probabilities);
    }

    const context = tf.matMul(probabilities as tf.Tensor3D, v);
    const merged = tf.reshape(
      tf.transpose(tf.reshape(context, [batch, heads, seq, keyDim]), [0, 2, 1, 3]),
      [batch * seq, heads * keyDim],
    ) as tf.Tensor2D;
    const out = tf.add(tf.matMul(merged, w.outputKernel.read() as tf.Tensor2D), w.outputBias.read());
    return tf.reshape(out, [batch, seq, modelDim]);
  });
}
