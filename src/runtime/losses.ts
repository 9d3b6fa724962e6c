/**
 * Losses (docs/semantics.md, "Losses"). Each returns the mean over every sample (and every
 * position of a sequence) as a scalar, built from differentiable tf ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { Loss } from './contracts.js';

/** Keras' epsilon: probabilities are clipped to [LOSS_PROBABILITY_EPSILON, 1 - LOSS_PROBABILITY_EPSILON]. */
export const LOSS_PROBABILITY_EPSILON = 1e-7;

function lossShapeText(t: tf.Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

/**
 * Targets shaped like the predictions: a [batch] label against a [batch, 1] prediction (or any
 * other pair with the same number of entries) is reshaped; other mismatches are errors.
 */
export function reshapeTargetsLike(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor {
  if (tf.util.arraysEqual(yTrue.shape, yPred.shape)) return yTrue;
  if (yTrue.size !== yPred.size) {
    throw new Error(`targets of shape ${lossShapeText(yTrue)} do not match predictions of shape ${lossShapeText(yPred)}`);
  }
  return yTrue.reshape(yPred.shape);
}

/**
 * Integer class labels as a flat int32 vector, one per position of predictions [..., classes]:
 * labels may be [batch], [batch, seq], either with a trailing 1, int32 or floats holding integers.
 */
export function sparseLabelsFlat(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Tensor1D {
  const classes = yPred.shape[yPred.shape.length - 1]!;
  if (yTrue.size * classes !== yPred.size) {
    throw new Error(
      `sparse labels of shape ${lossShapeText(yTrue)} do not match predictions of shape ${lossShapeText(yPred)} ` +
        `(expected one class index per row of ${classes} class scores)`,
    );
  }
  const flat = yTrue.reshape([-1]) as tf.Tensor1D;
  return flat.dtype === 'int32' ? flat : (flat.round().toInt() as tf.Tensor1D);
}

/** The config of a loss without options (the lowering passes the IR's empty option set). */
export type LossNoOptions = Record<string, never>;

function meanSquaredErrorTensor(yTrue: tf.Tensor, yPred: tf.Tensor): tf.Scalar {
  return reshapeTargetsLike(yTrue, yPred).sub(yPred).square().mean() as tf.Scalar;
}

/** mean((y - p)^2) over every entry. */
export function mseLoss(_config: LossNoOptions = {}): Loss {
  return { name: 'mse', compute: (yTrue, yPred) => tf.tidy(() => meanSquaredErrorTensor(yTrue, yPred)) };
}

/** mean(|y - p|) over every entry. */
export function maeLoss(_config: LossNoOptions = {}): Loss {
  return {
    name: 'mae',
    compute: (yTrue, yPred) => tf.tidy(() => reshapeTargetsLike(yTrue, yPred).sub(yPred).abs().mean() as tf.Scalar),
  };
}

export interface HuberLossConfig {
  /** Default 1. */
  delta?: number;
}

/** Per entry e = y - p: e^2/2 when |e| <= delta, else delta*(|e| - delta/2); mean over every entry. */
export function huberLoss(config: HuberLossConfig = {}): Loss {
  const delta = config.delta ?? 1;
  return {
    name: 'huber',
    compute: (yTrue, yPred) =>
      tf.tidy(() => {
        const error = reshapeTargetsLike(yTrue, yPred).sub(yPred).abs();
        // With q = min(|e|, delta): q^2/2 + delta*(|e| - q) is e^2/2 up to delta and
        // delta*(|e| - delta/2) beyond. No tf.where: tfjs cannot differentiate its comparison.
        const clipped = tf.minimum(error, delta);
        return clipped.square().mul(0.5).add(error.sub(clipped).mul(delta)).mean() as tf.Scalar;
      }),
  };
}

export interface CrossEntropyLossConfig {
  /** Predictions are logits rather than probabilities. Default false. */
  from_logits?: boolean;
}

/**
 * Probabilities: -(z log p + (1-z) log(1-p)) with p clipped to [1e-7, 1-1e-7].
 * Logits x: max(x, 0) - x*z + log(1 + exp(-|x|)), the numerically stable form.
 */
export function binaryCrossEntropyLoss(config: CrossEntropyLossConfig = {}): Loss {
  const fromLogits = config.from_logits ?? false;
  return {
    name: 'binary_cross_entropy',
    compute: (yTrue, yPred) =>
      tf.tidy(() => {
        const z = reshapeTargetsLike(yTrue, yPred).toFloat();
        if (fromLogits) {
          const x = yPred;
          const absX = x.abs();
          // max(x, 0) written as (x + |x|)/2: the same value, and the gradient at x = 0 is the
          // true sigmoid(0) - z whatever subgradient tf picks for |x| at 0.
          const positivePart = x.add(absX).mul(0.5);
          return positivePart.sub(x.mul(z)).add(absX.neg().exp().log1p()).mean() as tf.Scalar;
        }
        const p = yPred.clipByValue(LOSS_PROBABILITY_EPSILON, 1 - LOSS_PROBABILITY_EPSILON);
        const oneMinusZ = tf.scalar(1).sub(z);
        const oneMinusP = tf.scalar(1).sub(p);
        return z.mul(p.log()).add(oneMinusZ.mul(oneMinusP.log())).neg().mean() as tf.Scalar;
      }),
  };
}

/** Per row of class scores: log-probabilities, from logits (logSoftmax) or from probabilities as Keras does. */
function crossEntropyLogProbabilities(yPred: tf.Tensor, fromLogits: boolean): tf.Tensor {
  if (fromLogits) return tf.logSoftmax(yPred);
  const normalised = yPred.div(yPred.sum(-1, true));
  return normalised.clipByValue(LOSS_PROBABILITY_EPSILON, 1 - LOSS_PROBABILITY_EPSILON).log();
}

/** One-hot targets: -sum_c y_c log p_c per sample (and position), mean over samples. */
export function categoricalCrossEntropyLoss(config: CrossEntropyLossConfig = {}): Loss {
  const fromLogits = config.from_logits ?? false;
  return {
    name: 'categorical_cross_entropy',
    compute: (yTrue, yPred) =>
      tf.tidy(() => {
        const logP = crossEntropyLogProbabilities(yPred, fromLogits);
        return reshapeTargetsLike(yTrue, yPred).toFloat().mul(logP).sum(-1).neg().mean() as tf.Scalar;
      }),
  };
}

/** Integer targets k: -log p_k per sample (and position), mean over every position. */
export function sparseCategoricalCrossEntropyLoss(config: CrossEntropyLossConfig = {}): Loss {
  const fromLogits = config.from_logits ?? false;
  return {
    name: 'sparse_categorical_cross_entropy',
    compute: (yTrue, yPred) =>
      tf.tidy(() => {
        const classes = yPred.shape[yPred.shape.length - 1]!;
        const labels = sparseLabelsFlat(yTrue, yPred);
        const logP = crossEntropyLogProbabilities(yPred.reshape([-1, classes]), fromLogits);
        return tf.oneHot(labels, classes).toFloat().mul(logP).sum(-1).neg().mean() as tf.Scalar;
      }),
  };
}
