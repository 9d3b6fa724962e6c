/**
 * Metrics over a whole split (docs/semantics.md, "Metrics"): the predictions of every batch
 * concatenated. Sums run in double precision over the float32 values read back from tf.
 */
import * as tf from '@tensorflow/tfjs';
import type { Metric } from './contracts.js';
import { reshapeTargetsLike, sparseLabelsFlat } from './losses.js';

/** How labels are encoded: one 0/1 value per output, one-hot rows, or integer class indices. */
export type ClassificationTarget = 'binary' | 'categorical' | 'sparse';

export interface ClassificationMetricConfig {
  target: ClassificationTarget;
  /** Predictions are logits (binary threshold 0) rather than probabilities (threshold 0.5). Default false. */
  from_logits?: boolean;
}

interface MetricClassPairs {
  actual: Int32Array;
  predicted: Int32Array;
}

/** Predicted and true class of every sample (or position, or output for binary targets). */
async function metricClassPairs(config: ClassificationMetricConfig, yTrue: tf.Tensor, yPred: tf.Tensor): Promise<MetricClassPairs> {
  const [actual, predicted] = tf.tidy(() => {
    switch (config.target) {
      case 'binary': {
        const threshold = config.from_logits ? 0 : 0.5;
        // As Keras: a prediction exactly at the threshold counts as class 0.
        return [reshapeTargetsLike(yTrue, yPred).greater(0.5).toInt(), yPred.greater(threshold).toInt()];
      }
      case 'categorical':
        return [reshapeTargetsLike(yTrue, yPred).argMax(-1).reshape([-1]), yPred.argMax(-1).reshape([-1])];
      case 'sparse':
        return [sparseLabelsFlat(yTrue, yPred), yPred.argMax(-1).reshape([-1])];
      default:
        throw new Error(`unknown metric target '${String(config.target)}' (expected binary, categorical or sparse)`);
    }
  });
  try {
    return { actual: (await actual.data()) as Int32Array, predicted: (await predicted.data()) as Int32Array };
  } finally {
    actual.dispose();
    predicted.dispose();
  }
}

/** Fraction of samples (positions, outputs) whose predicted class is the true class; NaN for an empty split. */
export function accuracyMetric(config: ClassificationMetricConfig): Metric {
  return {
    name: 'accuracy',
    async compute(yTrue, yPred) {
      const { actual, predicted } = await metricClassPairs(config, yTrue, yPred);
      let correct = 0;
      for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) correct++;
      return correct / actual.length;
    },
  };
}

/** True and predicted values, targets reshaped like the predictions, as float32 arrays. */
async function metricValuePairs(yTrue: tf.Tensor, yPred: tf.Tensor): Promise<{ actual: Float32Array; predicted: Float32Array }> {
  const [actual, predicted] = tf.tidy(() => [reshapeTargetsLike(yTrue, yPred).toFloat(), yPred.toFloat()]);
  try {
    return { actual: (await actual!.data()) as Float32Array, predicted: (await predicted!.data()) as Float32Array };
  } finally {
    actual!.dispose();
    predicted!.dispose();
  }
}

async function metricMeanSquaredError(yTrue: tf.Tensor, yPred: tf.Tensor): Promise<number> {
  const { actual, predicted } = await metricValuePairs(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += (actual[i]! - predicted[i]!) ** 2;
  return sum / actual.length;
}

/** mean |y - p| over every entry. */
export function maeMetric(): Metric {
  return {
    name: 'mae',
    async compute(yTrue, yPred) {
      const { actual, predicted } = await metricValuePairs(yTrue, yPred);
      let sum = 0;
      for (let i = 0; i < actual.length; i++) sum += Math.abs(actual[i]! - predicted[i]!);
      return sum / actual.length;
    },
  };
}

/** mean (y - p)^2 over every entry. */
export function mseMetric(): Metric {
  return { name: 'mse', compute: metricMeanSquaredError };
}

/** sqrt of the split's mean squared error (not a mean of per-batch roots). */
export function rmseMetric(): Metric {
  return { name: 'rmse', compute: async (yTrue, yPred) => Math.sqrt(await metricMeanSquaredError(yTrue, yPred)) };
}

/**
 * 1 - SS_res / SS_tot over every output flattened: SS_res = sum (y - p)^2, SS_tot = sum (y - mean(y))^2
 * with one mean over all entries. When SS_tot = 0 (constant targets): 1 if SS_res = 0, else 0 (as scikit-learn).
 */
export function r2Metric(): Metric {
  return {
    name: 'r2',
    async compute(yTrue, yPred) {
      const { actual, predicted } = await metricValuePairs(yTrue, yPred);
      let mean = 0;
      for (const y of actual) mean += y;
      mean /= actual.length;
      let residual = 0;
      let total = 0;
      for (let i = 0; i < actual.length; i++) {
        residual += (actual[i]! - predicted[i]!) ** 2;
        total += (actual[i]! - mean) ** 2;
      }
      if (total === 0) return residual === 0 ? 1 : 0;
      return 1 - residual / total;
    },
  };
}

interface MetricClassScores {
  precision: number;
  recall: number;
  f1: number;
}

/** A ratio whose zero denominator gives 0, as scikit-learn's zero_division=0. */
function metricSafeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function metricScoresOfClass(pairs: MetricClassPairs, positive: number): MetricClassScores {
  let truePositives = 0;
  let falsePositives = 0;
  let falseNegatives = 0;
  for (let i = 0; i < pairs.actual.length; i++) {
    const isActual = pairs.actual[i] === positive;
    const isPredicted = pairs.predicted[i] === positive;
    if (isActual && isPredicted) truePositives++;
    else if (isPredicted) falsePositives++;
    else if (isActual) falseNegatives++;
  }
  const precision = metricSafeRatio(truePositives, truePositives + falsePositives);
  const recall = metricSafeRatio(truePositives, truePositives + falseNegatives);
  return { precision, recall, f1: metricSafeRatio(2 * precision * recall, precision + recall) };
}

/**
 * Binary: the scores of class 1. Multi-class: the macro average of per-class scores over the
 * classes that occur in the labels or the predictions.
 */
async function metricClassificationScore(
  config: ClassificationMetricConfig,
  yTrue: tf.Tensor,
  yPred: tf.Tensor,
  score: keyof MetricClassScores,
): Promise<number> {
  const pairs = await metricClassPairs(config, yTrue, yPred);
  if (config.target === 'binary') return metricScoresOfClass(pairs, 1)[score];
  const present = [...new Set([...pairs.actual, ...pairs.predicted])];
  if (present.length === 0) return 0;
  let sum = 0;
  for (const cls of present) sum += metricScoresOfClass(pairs, cls)[score];
  return sum / present.length;
}

/** TP / (TP + FP); 0 when nothing is predicted positive. */
export function precisionMetric(config: ClassificationMetricConfig): Metric {
  return { name: 'precision', compute: (yTrue, yPred) => metricClassificationScore(config, yTrue, yPred, 'precision') };
}

/** TP / (TP + FN); 0 when nothing is actually positive. */
export function recallMetric(config: ClassificationMetricConfig): Metric {
  return { name: 'recall', compute: (yTrue, yPred) => metricClassificationScore(config, yTrue, yPred, 'recall') };
}

/** 2PR / (P + R); 0 when P + R = 0. */
export function f1Metric(config: ClassificationMetricConfig): Metric {
  return { name: 'f1', compute: (yTrue, yPred) => metricClassificationScore(config, yTrue, yPred, 'f1') };
}
