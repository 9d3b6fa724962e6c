/**
 * Shared checks for the hand-written optimizers: a tiny problem stepped by hand, exact state
 * round trips and a leak check. The expected numbers live in each optimizer's test.
 */
import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';
import type { Optimizer } from '../../../src/runtime/contracts.js';

/** Float32 holds about 7 significant digits; 5 decimals is a safe check for values near 1. */
export const FLOAT32_DIGITS = 5;

export function expectAllClose(actual: readonly number[], expected: readonly number[], digits = FLOAT32_DIGITS): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((value, i) => expect(value, `entry ${i}`).toBeCloseTo(expected[i]!, digits));
}

export interface SquareRun {
  /** theta after each step. */
  thetas: number[];
  /** The slots after the last step, each flattened, in getState order. */
  slots: number[][];
  iterations: number;
}

/**
 * Minimises f(theta) = theta^2 (gradient 2*theta) from theta0 with a constant lr for a few steps.
 * The gradient is formed by hand, so the only thing under test is the optimizer's update.
 */
export function stepsOnSquare(optimizer: Optimizer, lr: number, steps = 3, theta0 = 1): SquareRun {
  const theta = tf.tidy(() => tf.variable(tf.tensor1d([theta0])));
  const thetas: number[] = [];
  for (let i = 0; i < steps; i++) {
    const gradient = tf.tidy(() => theta.mul(2));
    optimizer.apply([theta], [gradient], lr);
    gradient.dispose();
    thetas.push(theta.dataSync()[0]!);
  }
  const state = optimizer.getState();
  const slots = state.slots.map((slot) => Array.from(slot.dataSync()));
  tf.dispose(state.slots);
  theta.dispose();
  optimizer.dispose();
  return { thetas, slots, iterations: state.iterations };
}

/** Several variables of different shapes, gradient 2*theta + 0.1 for each. */
function makeRoundTripVariables(): tf.Variable[] {
  // tidy disposes the initial tensors; variables survive it.
  return tf.tidy(() => [
    tf.variable(tf.tensor1d([1, -0.5])),
    tf.variable(tf.tensor2d([
      [0.3, -2],
      [1.5, 0.25],
    ])),
  ]);
}

function stepAll(optimizer: Optimizer, variables: readonly tf.Variable[], lr: number): void {
  const gradients = variables.map((v) => tf.tidy(() => v.mul(2).add(0.1)));
  optimizer.apply(variables, gradients, lr);
  tf.dispose(gradients);
}

const valuesOf = (tensors: readonly tf.Tensor[]): number[][] => tensors.map((t) => Array.from(t.dataSync()));

/**
 * Two steps on optimizer A; its state moved into a fresh optimizer B (before B's first apply);
 * then one more step on each from equal weights: weights, slots and iterations must match exactly.
 */
export function expectStateRoundTrip(make: () => Optimizer): void {
  const a = make();
  const weightsA = makeRoundTripVariables();
  stepAll(a, weightsA, 0.05);
  stepAll(a, weightsA, 0.05);
  const saved = a.getState();
  expect(saved.iterations).toBe(2);
  const savedValues = valuesOf(saved.slots);

  const b = make();
  b.setState(saved);
  tf.dispose(saved.slots); // setState must not rely on the caller's tensors staying alive
  const again = b.getState();
  expect(again.iterations).toBe(2);
  expect(valuesOf(again.slots)).toEqual(savedValues);
  tf.dispose(again.slots);

  const weightsB = tf.tidy(() => weightsA.map((w) => tf.variable(w.clone())));
  stepAll(a, weightsA, 0.05);
  stepAll(b, weightsB, 0.05);
  expect(valuesOf(weightsB)).toEqual(valuesOf(weightsA));
  const stateA = a.getState();
  const stateB = b.getState();
  expect(stateB.iterations).toBe(3);
  expect(stateA.iterations).toBe(3);
  expect(valuesOf(stateB.slots)).toEqual(valuesOf(stateA.slots));

  // setState on an optimizer that already holds slots overwrites them in place.
  a.setState({ iterations: stateB.iterations, slots: stateB.slots });
  const overwritten = a.getState();
  expect(valuesOf(overwritten.slots)).toEqual(valuesOf(stateB.slots));
  tf.dispose([...stateA.slots, ...stateB.slots, ...overwritten.slots]);
  tf.dispose([...weightsA, ...weightsB]);
  a.dispose();
  b.dispose();
}

/** After the first apply (which creates the slots) further applies keep the tensor count; dispose frees the slots. */
export function expectNoLeaks(make: () => Optimizer): void {
  const baseline = tf.memory().numTensors;
  const variables = makeRoundTripVariables();
  const withVariables = tf.memory().numTensors;
  expect(withVariables).toBe(baseline + variables.length);
  const optimizer = make();
  stepAll(optimizer, variables, 0.01);
  const afterFirst = tf.memory().numTensors;
  stepAll(optimizer, variables, 0.01);
  stepAll(optimizer, variables, 0.01);
  expect(tf.memory().numTensors).toBe(afterFirst);
  const state = optimizer.getState();
  tf.dispose(state.slots);
  expect(tf.memory().numTensors).toBe(afterFirst);
  optimizer.dispose();
  expect(tf.memory().numTensors).toBe(withVariables);
  tf.dispose(variables);
  expect(tf.memory().numTensors).toBe(baseline);
}
