/**
 * The confusion matrix of a classifier: rows are the true classes, columns the predicted ones.
 * Predictions are the arg-max of the model's output (softmax probabilities or logits alike), or
 * for a single binary output, whether it is above the threshold (0.5 for a probability, 0 for a logit;
 * exactly at the threshold is class 0, as in the accuracy metric and Keras).
 */
import * as tf from '@tensorflow/tfjs';

export interface ReportClassPredictions {
  /** True class index of each sample (each position, for sequences), flattened. */
  truth: number[];
  predicted: number[];
  classes: number;
}

/**
 * Class indices of labels and predictions. yTrue holds sparse indices (rank of yPred minus one),
 * one-hot rows (same rank as yPred), or 0/1 values for a binary yPred of last dimension 1.
 */
export async function reportClassPredictions(yTrue: tf.Tensor, yPred: tf.Tensor, binaryThreshold: number): Promise<ReportClassPredictions> {
  const last = yPred.shape[yPred.rank - 1]!;
  const [truth, predicted] = tf.tidy(() => {
    if (last === 1) {
      return [tf.round(yTrue).cast('int32').reshape([-1]), tf.greater(yPred, binaryThreshold).cast('int32').reshape([-1])];
    }
    const truthIndex = yTrue.rank === yPred.rank ? tf.argMax(yTrue, -1).reshape([-1]) : yTrue.cast('int32').reshape([-1]);
    return [truthIndex, tf.argMax(yPred, -1).reshape([-1])];
  });
  try {
    return { truth: Array.from(await truth!.data()), predicted: Array.from(await predicted!.data()), classes: last === 1 ? 2 : last };
  } finally {
    tf.dispose([truth!, predicted!]);
  }
}

/** counts[t][p]: samples of true class t predicted as p. Indices outside [0, classes) are ignored. */
export function reportConfusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const n = Math.min(truth.length, predicted.length);
  for (let i = 0; i < n; i++) {
    const t = truth[i]!;
    const p = predicted[i]!;
    if (t >= 0 && t < classes && p >= 0 && p < classes) counts[t]![p] = counts[t]![p]! + 1;
  }
  return counts;
}
