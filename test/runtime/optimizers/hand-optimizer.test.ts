import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAdam } from '../../../src/runtime/optimizers/adam.js';
import { createMomentum } from '../../../src/runtime/optimizers/momentum.js';
import { expectAllClose } from './optimizer-harness.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const created: tf.Tensor[] = [];
afterEach(() => {
  tf.dispose(created.splice(0));
});
const variable = (values: number[]): tf.Variable => {
  const v = tf.tidy(() => tf.variable(tf.tensor1d(values)));
  created.push(v);
  return v;
};
const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

describe('createHandOptimizer (through Adam and momentum)', () => {
  it('keeps slots variable-major: [m(v0), v(v0), m(v1), v(v1)]', () => {
    const adam = createAdam({ beta1: 0.9, beta2: 0.999 });
    const a = variable([1]);
    const b = variable([5, 6]);
    const gradients = [tf.tensor1d([2]), tf.tensor1d([10, -20])];
    adam.apply([a, b], gradients, 0.01);
    tf.dispose(gradients);
    const state = adam.getState();
    // m = 0.1 g, v = 0.001 g^2
    expect(state.slots.map((s) => s.shape)).toEqual([[1], [1], [2], [2]]);
    expectAllClose(state.slots.map(values).flat(), [0.2, 0.004, 1, -2, 0.1, 0.4]);
    tf.dispose(state.slots);
    adam.dispose();
  });

  it('returns snapshots from getState that later updates do not change', () => {
    const optimizer = createMomentum({ form: 'classical', beta: 0.9 });
    const theta = variable([1]);
    const g = tf.tensor1d([2]);
    optimizer.apply([theta], [g], 0.1);
    const snapshot = optimizer.getState();
    optimizer.apply([theta], [g], 0.1); // v = 0.9*2 + 2 = 3.8
    const later = optimizer.getState();
    expectAllClose(values(snapshot.slots[0]!), [2]);
    expectAllClose(values(later.slots[0]!), [3.8]);
    tf.dispose([g, ...snapshot.slots, ...later.slots]);
    optimizer.dispose();
  });

  it('rejects mismatched variables and gradients', () => {
    const optimizer = createMomentum();
    const theta = variable([1]);
    expect(() => optimizer.apply([theta], [], 0.1)).toThrow(/1 variables but 0 gradients/);
    optimizer.dispose();
  });

  it('rejects restored slots that do not fit the variables', () => {
    const optimizer = createMomentum();
    const slot = tf.tensor1d([1, 2, 3]);
    optimizer.setState({ iterations: 4, slots: [slot] });
    slot.dispose();
    expect(optimizer.iterations).toBe(4);
    const theta = variable([1]);
    const g = tf.tensor1d([1]);
    expect(() => optimizer.apply([theta], [g], 0.1)).toThrow(/slot 0 of variable 0 has shape \[3\].*\[1\]/);
    const two = variable([1, 2]);
    expect(() => optimizer.apply([theta, two], [g, g], 0.1)).toThrow(/holds 1 slot tensors, but 2 variables need 2/);
    g.dispose();
    optimizer.dispose();
  });

  it('continues from restored slots and iterations (Adam bias correction uses the restored t)', () => {
    const optimizer = createAdam({ beta1: 0.5, beta2: 0.5, epsilon: 0 });
    const m = tf.tensor1d([1]);
    const v = tf.tensor1d([1]);
    optimizer.setState({ iterations: 1, slots: [m, v] });
    tf.dispose([m, v]);
    const theta = variable([0]);
    const g = tf.tensor1d([3]);
    optimizer.apply([theta], [g], 0.1);
    g.dispose();
    // t = 2: m = 0.5 + 1.5 = 2, v = 0.5 + 4.5 = 5, mhat = 2/0.75, vhat = 5/0.75
    // theta = 0 - 0.1 * (2/0.75) / sqrt(5/0.75) = -0.1 * 2.6666667 / 2.5819889 = -0.10327956
    expectAllClose(values(theta), [-0.10327956]);
    expect(optimizer.iterations).toBe(2);
    optimizer.dispose();
  });

  it('forgets its slots when given an empty state', () => {
    const optimizer = createMomentum({ form: 'classical', beta: 0.9 });
    const theta = variable([1]);
    const g = tf.tensor1d([2]);
    optimizer.apply([theta], [g], 0.1);
    optimizer.setState({ iterations: 0, slots: [] });
    optimizer.apply([theta], [g], 0.1); // fresh v = 2: theta = 0.8 - 0.2
    expectAllClose(values(theta), [0.6]);
    g.dispose();
    optimizer.dispose();
  });
});
