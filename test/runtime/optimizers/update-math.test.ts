/** UpdateMath: a rule traced into an elementwise program, and the same rule on tensors. */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { tensorUpdateMath, traceElementwiseUpdate, type UpdateMath } from '../../../src/runtime/optimizers/update-math.js';

// theta' = theta - lr * g / (sqrt(s') + eps), s' = s + g^2 (Adagrad without decay).
const rule = <T>(math: UpdateMath<T>, [theta, g, s]: T[], lr: number): T[] => {
  const next = math.add(s!, math.square(g!));
  const step = math.div(g!, math.add(math.sqrt(next), math.constant(1e-7)));
  return [math.sub(theta!, math.mul(step, math.constant(lr))), next];
};

describe('traceElementwiseUpdate', () => {
  it('numbers inputs, then constants, then nodes, and records the constants in order', () => {
    const { program, params } = traceElementwiseUpdate(3, (math, inputs) => rule(math, inputs, 0.5));
    expect(params).toEqual([1e-7, 0.5]);
    expect(program).toEqual({
      inputs: 3,
      params: 2,
      nodes: [
        { op: 'square', args: [1] }, // 5
        { op: 'add', args: [2, 5] }, // 6: s'
        { op: 'sqrt', args: [6] }, // 7
        { op: 'add', args: [7, 3] }, // 8
        { op: 'div', args: [1, 8] }, // 9
        { op: 'mul', args: [9, 4] }, // 10
        { op: 'sub', args: [0, 10] }, // 11
      ],
      outputs: [11, 6],
    });
  });

  it('gives the same program for another learning rate, with another parameter value', () => {
    const a = traceElementwiseUpdate(3, (math, inputs) => rule(math, inputs, 0.5));
    const b = traceElementwiseUpdate(3, (math, inputs) => rule(math, inputs, 0.01));
    expect(b.program).toEqual(a.program);
    expect(b.params).toEqual([1e-7, 0.01]);
  });
});

describe('tensorUpdateMath', () => {
  it('runs the rule as tf ops', () => {
    const [theta, s] = tf.tidy(() => rule(tensorUpdateMath, [tf.tensor1d([1, 2]), tf.tensor1d([3, 4]), tf.tensor1d([0, 9])], 0.5).map((t) => t.arraySync() as number[]));
    expect(s).toEqual([9, 25]);
    expect(theta![0]).toBeCloseTo(1 - (0.5 * 3) / 3, 6);
    expect(theta![1]).toBeCloseTo(2 - (0.5 * 4) / 5, 6);
  });
});
