import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { setDropoutStep } from '../../../src/runtime/layers/dropout.js';
import { buildModel } from '../../../src/runtime/model.js';
import { chainGraph, graphNode } from './graph-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

describe('mlspec layers and tensor memory', () => {
  it('leave no tensors behind after inference and training steps', () => {
    const built = buildModel(
      chainGraph(
        graphNode('x', 'input', { shape: [5, 8] }),
        graphNode('pos', 'positional_embedding', { max_length: 5 }),
        graphNode('enc', 'transformer', { heads: 2, key_dim: 4, ff: 16, dropout: 0.1, causal: true }),
        graphNode('att', 'attention', { heads: 2, key_dim: 3, dropout: 0.1 }),
        graphNode('drop', 'dropout', { rate: 0.25 }),
        graphNode('out', 'dense', { units: 3, l2: 0.01 }),
      ),
      1,
    );
    const x = tf.randomNormal([4, 5, 8]);
    const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const step = (i: number) => {
      tf.dispose(built.model.predict(x) as tf.Tensor);
      setDropoutStep(i);
      const { value, grads } = tf.variableGrads(
        () => tf.add(tf.mean(tf.square(built.model.apply(x, { training: true }) as tf.Tensor)), built.penalty()!) as tf.Scalar,
        variables,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step(0); // first calls may create lasting state
    const before = tf.memory().numTensors;
    for (let i = 1; i < 4; i++) step(i);
    expect(tf.memory().numTensors).toBe(before);
  });
});
