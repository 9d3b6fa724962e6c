/**
 * mlspec's custom layers on the wasm backend (mlspec's default): same forward values and
 * gradients as on cpu, and the same dropout masks (they are drawn in JavaScript from the seed).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { setDropoutStep } from '../../../src/runtime/layers/dropout.js';
import { buildModel } from '../../../src/runtime/model.js';
import { chainGraph, graphNode } from './graph-fixtures.js';

const graph = chainGraph(
  graphNode('x', 'input', { shape: [5, 8] }),
  graphNode('pos', 'positional_embedding', { max_length: 6 }),
  graphNode('enc', 'transformer', { heads: 2, key_dim: 4, ff: 16, dropout: 0.1 }),
  graphNode('att', 'attention', { heads: 2, key_dim: 3, causal: true, dropout: 0.1 }),
  graphNode('drop', 'dropout', { rate: 0.25 }),
  graphNode('out', 'dense', { units: 3 }),
);

interface Run {
  inference: number[];
  training: number[];
  grads: Record<string, number[]>;
}

async function runOn(backend: 'cpu' | 'wasm'): Promise<Run> {
  await tf.setBackend(backend);
  await tf.ready();
  expect(tf.getBackend()).toBe(backend);
  const { model } = buildModel(graph, 13);
  const x = tf.randomNormal([3, 5, 8], 0, 1, 'float32', 14);
  const inference = [...(model.predict(x) as tf.Tensor).dataSync()];
  setDropoutStep(6);
  const training = [...(model.apply(x, { training: true }) as tf.Tensor).dataSync()];
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.mean(tf.square(model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar, variables);
  const byName: Record<string, number[]> = {};
  model.trainableWeights.forEach((w) => (byName[w.originalName] = [...grads[(w.read() as tf.Variable).name]!.dataSync()]));
  model.dispose();
  return { inference, training, grads: byName };
}

function largestDifference(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((worst, v, i) => Math.max(worst, Math.abs(v - b[i]!)), 0);
}

describe('custom layers on the wasm backend', () => {
  it('compute what they compute on cpu, gradients and dropout included', async () => {
    const cpu = await runOn('cpu');
    const wasm = await runOn('wasm');
    expect(largestDifference(wasm.inference, cpu.inference)).toBeLessThan(1e-4);
    expect(largestDifference(wasm.training, cpu.training)).toBeLessThan(1e-4);
    // Training differs from inference only through the dropout masks, so equal training outputs
    // mean equal masks.
    expect(largestDifference(wasm.training, cpu.inference)).toBeGreaterThan(1e-3);
    expect(Object.keys(wasm.grads)).toEqual(Object.keys(cpu.grads));
    for (const name of Object.keys(cpu.grads)) {
      // The key bias's gradient is zero up to rounding (softmax ignores it): only noise to compare.
      if (name.endsWith('key_bias')) continue;
      const scale = Math.max(1e-6, ...cpu.grads[name]!.map(Math.abs));
      expect(largestDifference(wasm.grads[name]!, cpu.grads[name]!) / scale, name).toBeLessThan(1e-2);
    }
  });
});
