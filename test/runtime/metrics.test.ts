import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../src/runtime/contracts.js';
import {
  accuracyMetric,
  f1Metric,
  maeMetric,
  mseMetric,
  precisionMetric,
  r2Metric,
  recallMetric,
  rmseMetric,
} from '../../src/runtime/metrics.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The metric for the given tensors; checks that compute leaves no tensors behind. */
async function metricValue(metric: Metric, yTrue: tf.Tensor, yPred: tf.Tensor): Promise<number> {
  const before = tf.memory().numTensors;
  const value = await metric.compute(yTrue, yPred);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([yTrue, yPred]);
  return value;
}

/** Binary probabilities as a [n, 1] column. */
const column = (values: number[]): tf.Tensor => tf.tensor2d(values, [values.length, 1]);

describe('accuracyMetric', () => {
  it('binary on probabilities: predicted 1 when p > 0.5', async () => {
    // p 0.9 -> 1 (label 1, right); 0.5 -> 0 (label 0, right); 0.4 -> 0 (label 1, wrong); 0.1 -> 0 (right): 3/4
    const accuracy = accuracyMetric({ target: 'binary', from_logits: false });
    expect(await metricValue(accuracy, tf.tensor1d([1, 0, 1, 0]), column([0.9, 0.5, 0.4, 0.1]))).toBe(0.75);
  });

  it('binary on logits: predicted 1 when x > 0', async () => {
    const accuracy = accuracyMetric({ target: 'binary', from_logits: true });
    expect(await metricValue(accuracy, tf.tensor1d([1, 0, 1, 0]), column([2, 0, -1, 0.3]))).toBe(0.5);
  });

  it('categorical: argmax of the prediction against argmax of the one-hot label', async () => {
    // rows: argmax 1 vs 1 right; argmax 1 vs 0 wrong; argmax 2 vs 2 right -> 2/3
    const accuracy = accuracyMetric({ target: 'categorical' });
    const value = await metricValue(
      accuracy,
      tf.tensor2d([[0, 1, 0], [1, 0, 0], [0, 0, 1]]),
      tf.tensor2d([[0.1, 0.8, 0.1], [0.3, 0.6, 0.1], [0.2, 0.2, 0.6]]),
    );
    expect(value).toBeCloseTo(2 / 3, 10);
  });

  it('sparse: argmax against the integer label, per position of a sequence', async () => {
    // positions: (1 vs argmax 1) right, (0 vs argmax 1) wrong, (2 vs 2) right, (2 vs 0) wrong -> 0.5
    const accuracy = accuracyMetric({ target: 'sparse', from_logits: true });
    const logits = tf.tensor3d([
      [[0, 5, 1], [0, 2, 1]],
      [[0, 0, 3], [4, 0, 3]],
    ]);
    expect(await metricValue(accuracy, tf.tensor2d([[1, 0], [2, 2]], [2, 2], 'int32'), logits)).toBe(0.5);
  });

  it('sparse with float labels', async () => {
    const accuracy = accuracyMetric({ target: 'sparse' });
    expect(await metricValue(accuracy, tf.tensor1d([2, 0]), tf.tensor2d([[0.1, 0.1, 0.8], [0.2, 0.7, 0.1]]))).toBe(0.5);
  });
});

describe('regression metrics', () => {
  // y = [1, 2, 3, 4], p = [1.5, 2, 2, 5]: errors 0.5, 0, -1, 1
  const y = (): tf.Tensor => tf.tensor1d([1, 2, 3, 4]);
  const p = (): tf.Tensor => column([1.5, 2, 2, 5]);

  it('mae = (0.5 + 0 + 1 + 1) / 4 = 0.625', async () => {
    expect(await metricValue(maeMetric(), y(), p())).toBeCloseTo(0.625, 6);
  });

  it('mse = (0.25 + 0 + 1 + 1) / 4 = 0.5625', async () => {
    expect(await metricValue(mseMetric(), y(), p())).toBeCloseTo(0.5625, 6);
  });

  it('rmse = sqrt(0.5625) = 0.75', async () => {
    expect(await metricValue(rmseMetric(), y(), p())).toBeCloseTo(0.75, 6);
  });

  it('r2 = 1 - SS_res / SS_tot = 1 - 2.25 / 5 = 0.55', async () => {
    // mean(y) = 2.5, SS_tot = 2.25 + 0.25 + 0.25 + 2.25 = 5, SS_res = 0.25 + 0 + 1 + 1 = 2.25
    expect(await metricValue(r2Metric(), y(), p())).toBeCloseTo(0.55, 6);
  });

  it('r2 flattens several outputs with one mean', async () => {
    // y = [[0, 2], [2, 4]]: mean 2, SS_tot = 4 + 0 + 0 + 4 = 8; p off by 1 in one entry: SS_res = 1 -> 0.875
    expect(await metricValue(r2Metric(), tf.tensor2d([[0, 2], [2, 4]]), tf.tensor2d([[0, 2], [3, 4]]))).toBeCloseTo(0.875, 6);
  });

  it('r2 with constant targets is 1 for a perfect fit and 0 otherwise', async () => {
    expect(await metricValue(r2Metric(), tf.tensor1d([2, 2]), tf.tensor1d([2, 2]))).toBe(1);
    expect(await metricValue(r2Metric(), tf.tensor1d([2, 2]), tf.tensor1d([2, 3]))).toBe(0);
  });
});

describe('precision, recall and f1', () => {
  it('binary: the scores of class 1', async () => {
    // labels [1,1,1,0,0,0], predicted [1,1,0,1,0,0]: TP 2, FP 1, FN 1 -> P = R = F1 = 2/3
    const labels = (): tf.Tensor => tf.tensor1d([1, 1, 1, 0, 0, 0]);
    const probs = (): tf.Tensor => column([0.9, 0.6, 0.2, 0.7, 0.1, 0.3]);
    const config = { target: 'binary' as const };
    expect(await metricValue(precisionMetric(config), labels(), probs())).toBeCloseTo(2 / 3, 10);
    expect(await metricValue(recallMetric(config), labels(), probs())).toBeCloseTo(2 / 3, 10);
    expect(await metricValue(f1Metric(config), labels(), probs())).toBeCloseTo(2 / 3, 10);
  });

  it('binary with unequal precision and recall, from logits', async () => {
    // labels [1,1,1,1,0], predicted [1,0,0,0,1]: TP 1, FP 1, FN 3 -> P 0.5, R 0.25, F1 = 2*0.125/0.75 = 1/3
    const labels = (): tf.Tensor => tf.tensor1d([1, 1, 1, 1, 0]);
    const logits = (): tf.Tensor => column([3, -1, -2, 0, 1]);
    const config = { target: 'binary' as const, from_logits: true };
    expect(await metricValue(precisionMetric(config), labels(), logits())).toBeCloseTo(0.5, 10);
    expect(await metricValue(recallMetric(config), labels(), logits())).toBeCloseTo(0.25, 10);
    expect(await metricValue(f1Metric(config), labels(), logits())).toBeCloseTo(1 / 3, 10);
  });

  it('binary with nothing predicted positive gives 0, not NaN', async () => {
    const config = { target: 'binary' as const };
    expect(await metricValue(precisionMetric(config), tf.tensor1d([1, 0]), column([0.1, 0.2]))).toBe(0);
    expect(await metricValue(recallMetric(config), tf.tensor1d([1, 0]), column([0.1, 0.2]))).toBe(0);
    expect(await metricValue(f1Metric(config), tf.tensor1d([1, 0]), column([0.1, 0.2]))).toBe(0);
  });

  it('multi-class: macro average over the classes present in labels or predictions', async () => {
    // labels [0, 0, 1, 2], predicted [0, 1, 1, 1]; class 3 never occurs and is left out.
    //   class 0: TP 1 FP 0 FN 1 -> P 1,   R 0.5, F1 2/3
    //   class 1: TP 1 FP 2 FN 0 -> P 1/3, R 1,   F1 0.5
    //   class 2: TP 0 FP 0 FN 1 -> P 0,   R 0,   F1 0
    //   macro: P 4/9, R 0.5, F1 (2/3 + 0.5) / 3 = 7/18
    const labels = (): tf.Tensor => tf.tensor1d([0, 0, 1, 2], 'int32');
    const probs = (): tf.Tensor =>
      tf.tensor2d([
        [0.7, 0.1, 0.1, 0.1],
        [0.1, 0.6, 0.2, 0.1],
        [0.1, 0.5, 0.3, 0.1],
        [0.2, 0.4, 0.3, 0.1],
      ]);
    const config = { target: 'sparse' as const };
    expect(await metricValue(precisionMetric(config), labels(), probs())).toBeCloseTo(4 / 9, 10);
    expect(await metricValue(recallMetric(config), labels(), probs())).toBeCloseTo(0.5, 10);
    expect(await metricValue(f1Metric(config), labels(), probs())).toBeCloseTo(7 / 18, 10);
  });

  it('categorical labels are read by argmax', async () => {
    // labels [0, 1], predicted [0, 0]: class 0 P 0.5 R 1; class 1 P 0 R 0 -> macro P 0.25, R 0.5
    const labels = (): tf.Tensor => tf.tensor2d([[1, 0], [0, 1]]);
    const probs = (): tf.Tensor => tf.tensor2d([[0.9, 0.1], [0.6, 0.4]]);
    expect(await metricValue(precisionMetric({ target: 'categorical' }), labels(), probs())).toBeCloseTo(0.25, 10);
    expect(await metricValue(recallMetric({ target: 'categorical' }), labels(), probs())).toBeCloseTo(0.5, 10);
  });
});
