/**
 * Dropout whose masks are a pure function of (seed, layer name, training step), so a run's masks
 * are reproducible and a resumed run draws exactly what an uninterrupted run would have drawn.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../rng.js';

/** The optimizer step whose masks are being drawn; set by the training loop before each step. */
let mlspecDropoutStep = 0;

export function setDropoutStep(step: number): void {
  mlspecDropoutStep = step;
}

export function getDropoutStep(): number {
  return mlspecDropoutStep;
}

/**
 * Inverted dropout: keeps each element with probability 1 - rate and scales kept ones by
 * 1 / (1 - rate). The keep mask is tf.randomUniform(seed) >= rate.
 */
export function applySeededDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  if (rate <= 0) return x;
  return tf.tidy(() => {
    const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), rate), x.dtype);
    return tf.mul(x, tf.mul(keep, 1 / (1 - rate)));
  });
}

/** Kwargs as tfjs-layers passes them to call(). */
export type MlspecCallKwargs = Record<string, unknown>;

export function isTrainingCall(kwargs: MlspecCallKwargs | undefined): boolean {
  return kwargs?.['training'] === true;
}

export interface SeededDropoutArgs {
  rate: number;
  /** The run's seed; masks use deriveSeed(seed, 'dropout', layer name, step). */
  seed: number;
  name?: string;
  trainable?: boolean;
}

export class SeededDropout extends tf.layers.Layer {
  static className = 'SeededDropout';
  readonly rate: number;
  readonly seed: number;

  constructor(args: SeededDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`SeededDropout: rate must be in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: MlspecCallKwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (!isTrainingCall(kwargs)) return tf.clone(x);
    return applySeededDropout(x, this.rate, deriveSeed(this.seed, 'dropout', this.name, mlspecDropoutStep));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
