import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Loss } from '../../src/runtime/contracts.js';
import {
  binaryCrossEntropyLoss,
  categoricalCrossEntropyLoss,
  huberLoss,
  maeLoss,
  mseLoss,
  sparseCategoricalCrossEntropyLoss,
} from '../../src/runtime/losses.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The loss value for plain arrays; checks that compute leaves only its result behind. */
function lossValue(loss: Loss, yTrue: tf.Tensor, yPred: tf.Tensor): number {
  const before = tf.memory().numTensors;
  const value = loss.compute(yTrue, yPred);
  expect(value.shape).toEqual([]);
  expect(tf.memory().numTensors).toBe(before + 1);
  const number = value.dataSync()[0]!;
  tf.dispose([value, yTrue, yPred]);
  return number;
}

/** d loss / d predictions, flattened. */
function lossGradient(loss: Loss, yTrue: tf.Tensor, yPred: tf.Tensor): number[] {
  const gradient = tf.grad((p: tf.Tensor) => loss.compute(yTrue, p))(yPred);
  const values = Array.from(gradient.dataSync());
  tf.dispose([gradient, yTrue, yPred]);
  return values;
}

describe('mseLoss', () => {
  it('is the mean squared error over every entry', () => {
    // errors 0.5, 0, 1 -> (0.25 + 0 + 1) / 3 = 0.4166667
    expect(lossValue(mseLoss(), tf.tensor2d([[1], [2], [3]]), tf.tensor2d([[1.5], [2], [2]]))).toBeCloseTo(0.4166667, 6);
  });

  it('reshapes [batch] targets to [batch, 1] predictions', () => {
    expect(lossValue(mseLoss({}), tf.tensor1d([1, 2, 3]), tf.tensor2d([[1.5], [2], [2]]))).toBeCloseTo(0.4166667, 6);
  });

  it('has gradient 2 (p - y) / n', () => {
    // n = 2: (2 (1.5 - 1) / 2, 2 (2 - 4) / 2) = (0.5, -2)
    const gradient = lossGradient(mseLoss(), tf.tensor1d([1, 4]), tf.tensor1d([1.5, 2]));
    gradient.forEach((g, i) => expect(g).toBeCloseTo([0.5, -2][i]!, 6));
  });

  it('rejects targets with a different number of entries', () => {
    expect(() => mseLoss().compute(tf.tensor1d([1, 2]), tf.tensor2d([[1], [2], [3]]))).toThrow(
      /targets of shape \[2\] do not match predictions of shape \[3, 1\]/,
    );
  });
});

describe('maeLoss', () => {
  it('is the mean absolute error over every entry', () => {
    // (0.5 + 0 + 1 + 2) / 4 = 0.875
    expect(lossValue(maeLoss(), tf.tensor1d([1, 2, 3, 0]), tf.tensor1d([1.5, 2, 2, 2]))).toBeCloseTo(0.875, 6);
  });
});

describe('huberLoss', () => {
  it('is quadratic within delta and linear beyond it', () => {
    // delta 1, errors 0.5, 0, 1, 2.5: 0.125, 0, 0.5, 1 * (2.5 - 0.5) = 2 -> 2.625 / 4 = 0.65625
    const value = lossValue(huberLoss({ delta: 1 }), tf.tensor1d([0, 0, 0, 0]), tf.tensor1d([0.5, 0, -1, 2.5]));
    expect(value).toBeCloseTo(0.65625, 6);
  });

  it('uses the given delta', () => {
    // delta 2, errors 1 and 3: 0.5 and 2 * (3 - 1) = 4 -> 2.25
    expect(lossValue(huberLoss({ delta: 2 }), tf.tensor1d([0, 0]), tf.tensor1d([1, -3]))).toBeCloseTo(2.25, 6);
  });

  it('defaults delta to 1', () => {
    // error 3: 1 * (3 - 0.5) = 2.5
    expect(lossValue(huberLoss(), tf.tensor1d([0]), tf.tensor1d([3]))).toBeCloseTo(2.5, 6);
  });
});

describe('binaryCrossEntropyLoss', () => {
  it('on probabilities: -(z ln p + (1 - z) ln(1 - p)), mean over samples, [batch] labels against [batch, 1]', () => {
    // -(ln 0.8 + ln 0.6) / 2 = (0.2231435513 + 0.5108256238) / 2 = 0.3669845875
    const value = lossValue(binaryCrossEntropyLoss(), tf.tensor1d([1, 0]), tf.tensor2d([[0.8], [0.4]]));
    expect(value).toBeCloseTo(0.3669845875, 6);
  });

  it('clips probabilities to [1e-7, 1 - 1e-7] (in float32)', () => {
    // p = 1 with z = 0: -ln(1 - fround(1 - 1e-7)) = -ln(1.1920929e-7) = 15.9424;
    // p = 0 with z = 1: -ln(fround(1e-7)) = 16.1181
    const expected = (-Math.log(1 - Math.fround(1 - 1e-7)) - Math.log(Math.fround(1e-7))) / 2;
    const value = lossValue(binaryCrossEntropyLoss(), tf.tensor2d([[0], [1]]), tf.tensor2d([[1], [0]]));
    expect(value).toBeCloseTo(expected, 3);
  });

  it('on logits: max(x, 0) - x z + ln(1 + e^-|x|)', () => {
    // x=2, z=1: 2 - 2 + ln(1 + e^-2) = 0.1269280110; x=-1, z=0: ln(1 + e^-1) = 0.3132616875;
    // x=0, z=1: ln 2 = 0.6931471806. Mean = 0.3777789597
    const loss = binaryCrossEntropyLoss({ from_logits: true });
    expect(lossValue(loss, tf.tensor1d([1, 0, 1]), tf.tensor1d([2, -1, 0]))).toBeCloseTo(0.3777789597, 6);
  });

  it('on logits stays finite for large logits', () => {
    // x=100, z=0: 100; x=-100, z=1: 0 + 100 + ln(1 + e^-100) = 100
    const loss = binaryCrossEntropyLoss({ from_logits: true });
    expect(lossValue(loss, tf.tensor1d([0, 1]), tf.tensor1d([100, -100]))).toBeCloseTo(100, 4);
  });

  it('on logits has gradient (sigmoid(x) - z) / n, also at x = 0', () => {
    // n = 2: x=0, z=1 -> (0.5 - 1)/2 = -0.25; x=0, z=0 -> 0.25
    const gradient = lossGradient(binaryCrossEntropyLoss({ from_logits: true }), tf.tensor1d([1, 0]), tf.tensor1d([0, 0]));
    gradient.forEach((g, i) => expect(g).toBeCloseTo([-0.25, 0.25][i]!, 6));
  });
});

describe('categoricalCrossEntropyLoss', () => {
  it('on probabilities: -sum z ln p per sample, mean over samples', () => {
    // -(ln 0.7 + ln 0.5) / 2 = (0.3566749439 + 0.6931471806) / 2 = 0.5249110622
    const value = lossValue(
      categoricalCrossEntropyLoss(),
      tf.tensor2d([[0, 1, 0], [1, 0, 0]]),
      tf.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]),
    );
    expect(value).toBeCloseTo(0.5249110622, 6);
  });

  it('normalises probability rows to sum 1 first, as Keras does', () => {
    // [1, 2, 1] / 4 = [0.25, 0.5, 0.25] -> -ln 0.5 = 0.6931471806
    const value = lossValue(categoricalCrossEntropyLoss(), tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[1, 2, 1]]));
    expect(value).toBeCloseTo(0.6931471806, 6);
  });

  it('on logits uses log-softmax', () => {
    // -(3 - ln(e + e^2 + e^3)) = ln(1 + e^-1 + e^-2) = ln 1.5032147244 = 0.4076059644
    const loss = categoricalCrossEntropyLoss({ from_logits: true });
    expect(lossValue(loss, tf.tensor2d([[0, 0, 1]]), tf.tensor2d([[1, 2, 3]]))).toBeCloseTo(0.4076059644, 6);
  });

  it('averages over every position of a sequence', () => {
    // (-ln 0.5 - ln 0.8) / 2 = (0.6931471806 + 0.2231435513) / 2 = 0.4581453659
    const value = lossValue(categoricalCrossEntropyLoss(), tf.tensor3d([[[0, 1], [1, 0]]]), tf.tensor3d([[[0.5, 0.5], [0.8, 0.2]]]));
    expect(value).toBeCloseTo(0.4581453659, 6);
  });
});

describe('sparseCategoricalCrossEntropyLoss', () => {
  const probabilities = (): tf.Tensor => tf.tensor2d([[0.2, 0.7, 0.1], [0.5, 0.25, 0.25]]);

  it('takes -ln p of the labelled class, from int32 labels, float labels or [batch, 1] labels', () => {
    // labels [1, 0]: -(ln 0.7 + ln 0.5) / 2 = 0.5249110622
    const loss = sparseCategoricalCrossEntropyLoss();
    expect(lossValue(loss, tf.tensor1d([1, 0], 'int32'), probabilities())).toBeCloseTo(0.5249110622, 6);
    expect(lossValue(loss, tf.tensor1d([1, 0], 'float32'), probabilities())).toBeCloseTo(0.5249110622, 6);
    expect(lossValue(loss, tf.tensor2d([[1], [0]]), probabilities())).toBeCloseTo(0.5249110622, 6);
  });

  it('on logits uses log-softmax', () => {
    // label 2 of logits [1, 2, 3]: ln(1 + e^-1 + e^-2) = 0.4076059644
    const loss = sparseCategoricalCrossEntropyLoss({ from_logits: true });
    expect(lossValue(loss, tf.tensor1d([2], 'int32'), tf.tensor2d([[1, 2, 3]]))).toBeCloseTo(0.4076059644, 6);
  });

  it('averages over every position of [batch, seq] labels', () => {
    // labels [[1, 0]] against [[[0.5, 0.5], [0.8, 0.2]]]: (-ln 0.5 - ln 0.8) / 2 = 0.4581453659
    const loss = sparseCategoricalCrossEntropyLoss();
    expect(lossValue(loss, tf.tensor2d([[1, 0]], [1, 2], 'int32'), tf.tensor3d([[[0.5, 0.5], [0.8, 0.2]]]))).toBeCloseTo(
      0.4581453659,
      6,
    );
  });

  it('on logits has gradient (softmax - one_hot) / n', () => {
    // logits [0, 0], label 0: softmax [0.5, 0.5] -> [-0.5, 0.5]
    const gradient = lossGradient(sparseCategoricalCrossEntropyLoss({ from_logits: true }), tf.tensor1d([0], 'int32'), tf.tensor2d([[0, 0]]));
    gradient.forEach((g, i) => expect(g).toBeCloseTo([-0.5, 0.5][i]!, 6));
  });

  it('rejects labels that do not give one class per row', () => {
    expect(() => sparseCategoricalCrossEntropyLoss().compute(tf.tensor1d([0, 1, 2]), probabilities())).toThrow(
      /sparse labels of shape \[3\] do not match predictions of shape \[2, 3\]/,
    );
  });
});
