/**
 * Adds a learned position embedding to a [batch, seq, d] input: x + table[0:seq], where the
 * table is [maxLength, d], glorot_uniform (as keras_nlp's PositionEmbedding).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../rng.js';
import { sequenceModelDim } from './multi-head-self-attention.js';
import type { MlspecCallKwargs } from './dropout.js';

export interface PositionalEmbeddingArgs {
  maxLength: number;
  /** The run's seed: the table uses deriveSeed(seed, 'init', layer name, 'embeddings'). */
  seed: number;
  name?: string;
  trainable?: boolean;
}

export class PositionalEmbedding extends tf.layers.Layer {
  static className = 'PositionalEmbedding';
  readonly maxLength: number;
  readonly seed: number;
  private table: tf.LayerVariable | null = null;

  constructor(args: PositionalEmbeddingArgs) {
    super(args);
    this.maxLength = args.maxLength;
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const modelDim = sequenceModelDim(`positional_embedding layer '${this.name}'`, inputShape);
    const seed = deriveSeed(this.seed, 'init', this.name, 'embeddings');
    this.table = this.addWeight(
      'embeddings',
      [this.maxLength, modelDim],
      'float32',
      tf.initializers.glorotUniform({ seed }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: MlspecCallKwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.table === null) throw new Error(`positional_embedding layer '${this.name}' used before it was built`);
    const [, seq, modelDim] = x.shape as [number, number, number];
    if (seq > this.maxLength) {
      throw new Error(
        `positional_embedding layer '${this.name}': sequence length ${seq} exceeds max_length ${this.maxLength}`,
      );
    }
    const table = this.table;
    return tf.tidy(() => tf.add(x, tf.slice(table.read(), [0, 0], [seq, modelDim])));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), maxLength: this.maxLength, seed: this.seed };
  }
}
