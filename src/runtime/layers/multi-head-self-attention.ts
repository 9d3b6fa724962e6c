/**
 * Multi-head self-attention over [batch, seq, d]: softmax(Q K^T / sqrt(keyDim) + mask) V per head,
 * heads concatenated and projected back to d. Output has the input's shape.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../rng.js';
import {
  addAttentionVariables,
  computeSelfAttention,
  type MlspecAttentionVariables,
  type MlspecWeightAdder,
} from './attention-math.js';
import { applySeededDropout, getDropoutStep, isTrainingCall, type MlspecCallKwargs } from './dropout.js';

export interface MultiHeadSelfAttentionArgs {
  heads: number;
  keyDim: number;
  /** Dropout on the attention probabilities while training. */
  dropout: number;
  /** Position i attends only to positions j <= i. */
  causal: boolean;
  /** The run's seed: weights use deriveSeed(seed, 'init', layer name, weight name). */
  seed: number;
  name?: string;
  trainable?: boolean;
}

/** The last dimension of a [batch, seq, d] input shape, or an error naming the layer. */
export function sequenceModelDim(layer: string, inputShape: tf.Shape | tf.Shape[]): number {
  const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  const modelDim = shape[shape.length - 1];
  if (shape.length !== 3 || modelDim == null) {
    throw new Error(`${layer}: expects input [batch, seq, features], got [${shape.map(String).join(', ')}]`);
  }
  return modelDim;
}

export class MultiHeadSelfAttention extends tf.layers.Layer {
  static className = 'MultiHeadSelfAttention';
  readonly heads: number;
  readonly keyDim: number;
  readonly dropout: number;
  readonly causal: boolean;
  readonly seed: number;
  private attention: MlspecAttentionVariables | null = null;

  constructor(args: MultiHeadSelfAttentionArgs) {
    super(args);
    this.heads = args.heads;
    this.keyDim = args.keyDim;
    this.dropout = args.dropout;
    this.causal = args.causal;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const modelDim = sequenceModelDim(`attention layer '${this.name}'`, inputShape);
    const add: MlspecWeightAdder = (name, shape, initializer) => this.addWeight(name, shape, 'float32', initializer);
    this.attention = addAttentionVariables(add, '', modelDim, this.heads, this.keyDim, (weight) =>
      deriveSeed(this.seed, 'init', this.name, weight),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: MlspecCallKwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.attention === null) throw new Error(`attention layer '${this.name}' used before it was built`);
    const training = isTrainingCall(kwargs);
    const step = getDropoutStep();
    return computeSelfAttention(x, this.attention, {
      heads: this.heads,
      keyDim: this.keyDim,
      causal: this.causal,
      dropout: this.dropout,
      dropProbabilities: training
        ? (p) => applySeededDropout(p, this.dropout, deriveSeed(this.seed, 'dropout', this.name, 'attention', step))
        : null,
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      heads: this.heads,
      keyDim: this.keyDim,
      dropout: this.dropout,
      causal: this.causal,
      seed: this.seed,
    };
  }
}
