import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportClassPredictions, reportConfusionMatrix } from '../../../src/runtime/report/confusion.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('reportConfusionMatrix', () => {
  it('counts true class by predicted class', async () => {
    // truth:     0 0 1 1 1 2
    // predicted: 0 1 1 1 2 2
    expect(reportConfusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 2, 2], 3)).toEqual([
      [1, 1, 0],
      [0, 2, 1],
      [0, 0, 1],
    ]);
  });

  it('ignores indices outside the classes', async () => {
    expect(reportConfusionMatrix([0, 5, -1], [0, 0, 0], 2)).toEqual([
      [1, 0],
      [0, 0],
    ]);
  });
});

describe('reportClassPredictions', () => {
  it('takes the arg-max of probabilities against sparse labels', async () => {
    const result = await reportClassPredictions(tf.tensor1d([2, 0], 'int32'), tf.tensor2d([[0.1, 0.2, 0.7], [0.5, 0.4, 0.1]]), 0.5);
    expect(result).toEqual({ truth: [2, 0], predicted: [2, 0], classes: 3 });
  });

  it('takes the arg-max of one-hot labels', async () => {
    const result = await reportClassPredictions(tf.tensor2d([[0, 1], [1, 0]]), tf.tensor2d([[-1, 3], [2, 5]]), 0.5);
    expect(result).toEqual({ truth: [1, 0], predicted: [1, 1], classes: 2 });
  });

  it('thresholds a single binary output (0.5 for probabilities, 0 for logits)', async () => {
    const y = tf.tensor2d([[1], [0], [1]]);
    expect(await reportClassPredictions(y, tf.tensor2d([[0.7], [0.2], [0.4]]), 0.5)).toEqual({ truth: [1, 0, 1], predicted: [1, 0, 0], classes: 2 });
    // Exactly at the threshold is class 0, as in the accuracy metric.
    expect((await reportClassPredictions(y, tf.tensor2d([[0.5], [0.5], [0.51]]), 0.5)).predicted).toEqual([0, 0, 1]);
    expect(await reportClassPredictions(y, tf.tensor2d([[0.7], [-0.2], [0.4]]), 0)).toEqual({ truth: [1, 0, 1], predicted: [1, 0, 1], classes: 2 });
  });

  it('flattens per-token predictions of sequences', async () => {
    const y = tf.tensor2d([[1, 0]], [1, 2], 'int32');
    const pred = tf.tensor3d([[[0.2, 0.8], [0.3, 0.7]]]);
    expect(await reportClassPredictions(y, pred, 0.5)).toEqual({ truth: [1, 0], predicted: [1, 1], classes: 2 });
  });

  it('leaves no tensors behind', async () => {
    const y = tf.tensor1d([0, 1], 'int32');
    const pred = tf.tensor2d([[0.9, 0.1], [0.2, 0.8]]);
    const before = tf.memory().numTensors;
    await reportClassPredictions(y, pred, 0.5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
