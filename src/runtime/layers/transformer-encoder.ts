/**
 * A post-norm transformer encoder block ("Attention Is All You Need"):
 *   x = LayerNorm(x + Dropout(MultiHeadSelfAttention(x)))
 *   x = LayerNorm(x + Dropout(Dense_d(relu(Dense_ff(x)))))
 * `dropout` applies to the attention probabilities and to both residual branches.
 * All weights live in this one layer (no sub-layers), so it serialises like any tfjs layer.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../rng.js';
import {
  addAttentionVariables,
  computeSelfAttention,
  type MlspecAttentionVariables,
  type MlspecWeightAdder,
} from './attention-math.js';
import { mlspecLayerNormalize } from './layer-norm-math.js';
import { sequenceModelDim } from './multi-head-self-attention.js';
import { applySeededDropout, getDropoutStep, isTrainingCall, type MlspecCallKwargs } from './dropout.js';

export interface TransformerEncoderArgs {
  heads: number;
  keyDim: number;
  /** Width of the feed-forward hidden layer. */
  ff: number;
  dropout: number;
  causal: boolean;
  /** Layer-norm epsilon. */
  epsilon: number;
  /** The run's seed: weights use deriveSeed(seed, 'init', layer name, weight name). */
  seed: number;
  name?: string;
  trainable?: boolean;
}

interface TransformerVariables {
  attention: MlspecAttentionVariables;
  attentionNormGamma: tf.LayerVariable;
  attentionNormBeta: tf.LayerVariable;
  innerKernel: tf.LayerVariable;
  innerBias: tf.LayerVariable;
  outerKernel: tf.LayerVariable;
  outerBias: tf.LayerVariable;
  outputNormGamma: tf.LayerVariable;
  outputNormBeta: tf.LayerVariable;
}

export class TransformerEncoder extends tf.layers.Layer {
  static className = 'TransformerEncoder';
  readonly heads: number;
  readonly keyDim: number;
  readonly ff: number;
  readonly dropout: number;
  readonly causal: boolean;
  readonly epsilon: number;
  readonly seed: number;
  private parts: TransformerVariables | null = null;

  constructor(args: TransformerEncoderArgs) {
    super(args);
    this.heads = args.heads;
    this.keyDim = args.keyDim;
    this.ff = args.ff;
    this.dropout = args.dropout;
    this.causal = args.causal;
    this.epsilon = args.epsilon;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const modelDim = sequenceModelDim(`transformer layer '${this.name}'`, inputShape);
    const add: MlspecWeightAdder = (name, shape, initializer) => this.addWeight(name, shape, 'float32', initializer);
    const seedFor = (weight: string) => deriveSeed(this.seed, 'init', this.name, weight);
    const glorot = (weight: string) => tf.initializers.glorotUniform({ seed: seedFor(weight) });
    const attention = addAttentionVariables(add, 'attention_', modelDim, this.heads, this.keyDim, seedFor);
    this.parts = {
      attention,
      attentionNormGamma: add('attention_norm_gamma', [modelDim], tf.initializers.ones()),
      attentionNormBeta: add('attention_norm_beta', [modelDim], tf.initializers.zeros()),
      innerKernel: add('ff_inner_kernel', [modelDim, this.ff], glorot('ff_inner_kernel')),
      innerBias: add('ff_inner_bias', [this.ff], tf.initializers.zeros()),
      outerKernel: add('ff_outer_kernel', [this.ff, modelDim], glorot('ff_outer_kernel')),
      outerBias: add('ff_outer_bias', [modelDim], tf.initializers.zeros()),
      outputNormGamma: add('output_norm_gamma', [modelDim], tf.initializers.ones()),
      outputNormBeta: add('output_norm_beta', [modelDim], tf.initializers.zeros()),
    };
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: MlspecCallKwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const p = this.parts;
    if (p === null) throw new Error(`transformer layer '${this.name}' used before it was built`);
    const training = isTrainingCall(kwargs);
    const step = getDropoutStep();
    // Each dropout site draws its own masks: deriveSeed(seed, 'dropout', layer, site, step).
    const drop = (site: string) => (t: tf.Tensor) =>
      training ? applySeededDropout(t, this.dropout, deriveSeed(this.seed, 'dropout', this.name, site, step)) : t;

    return tf.tidy(() => {
      const [batch, seq, modelDim] = x.shape as [number, number, number];
      const attended = computeSelfAttention(x, p.attention, {
        heads: this.heads,
        keyDim: this.keyDim,
        causal: this.causal,
        dropout: this.dropout,
        dropProbabilities: training ? drop('attention') : null,
      });
      const h = mlspecLayerNormalize(
        tf.add(x, drop('attention_residual')(attended)),
        p.attentionNormGamma.read(),
        p.attentionNormBeta.read(),
        this.epsilon,
      );

      const rows = tf.reshape(h, [batch * seq, modelDim]) as tf.Tensor2D;
      const inner = tf.relu(tf.add(tf.matMul(rows, p.innerKernel.read() as tf.Tensor2D), p.innerBias.read()));
      const outer = tf.add(tf.matMul(inner, p.outerKernel.read() as tf.Tensor2D), p.outerBias.read());
      const fed = tf.reshape(outer, [batch, seq, modelDim]);
      return mlspecLayerNormalize(
        tf.add(h, drop('ff_residual')(fed)),
        p.outputNormGamma.read(),
        p.outputNormBeta.read(),
        this.epsilon,
      );
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      heads: this.heads,
      keyDim: this.keyDim,
      ff: this.ff,
      dropout: this.dropout,
      causal: this.causal,
      epsilon: this.epsilon,
      seed: this.seed,
    };
  }
}
