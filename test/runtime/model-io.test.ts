import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelGraph } from '../../src/runtime/contracts.js';
import { setDropoutStep } from '../../src/runtime/layers/dropout.js';
import { registerMlspecLayers } from '../../src/runtime/layers/register.js';
import { buildModel } from '../../src/runtime/model.js';
import { loadModel, saveModel } from '../../src/runtime/model-io.js';
import { chainGraph, graphNode } from './layers/graph-fixtures.js';

let workDir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-model-io-'));
});

afterAll(() => {
  fs.rmSync(workDir, { recursive: true, force: true });
});

/** The reverse example, smaller: tokens -> embedding -> positions -> transformer -> per-token logits. */
const transformerGraph: ModelGraph = chainGraph(
  graphNode('tokens', 'input', { shape: [6], dtype: 'int32' }),
  graphNode('embed', 'embedding', { vocab: 7, dim: 16 }),
  graphNode('pos', 'positional_embedding', { max_length: 6 }),
  graphNode('enc', 'transformer', { heads: 2, key_dim: 8, ff: 32, dropout: 0.1 }),
  graphNode('att', 'attention', { heads: 2, key_dim: 4, causal: true, dropout: 0.1 }),
  graphNode('drop', 'dropout', { rate: 0.2 }),
  graphNode('logits', 'dense', { units: 7 }),
);

function tokens(seed: number): tf.Tensor {
  return tf.randomUniform([16, 6], 0, 7, 'int32', seed);
}

/** A few steps of plain gradient descent on sparse cross-entropy of reversing the tokens. */
function trainFewSteps(model: tf.LayersModel, steps: number): number[] {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    setDropoutStep(step);
    const x = tokens(step);
    const y = tf.oneHot(tf.reverse(x, 1), 7);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
      variables,
    );
    losses.push(value.dataSync()[0]!);
    for (const v of variables) v.assign(tf.sub(v, tf.mul(0.1, grads[v.name]!)));
  }
  return losses;
}

describe('saveModel and loadModel', () => {
  it('round-trips a trained transformer: identical predictions, bit for bit', async () => {
    const { model } = buildModel(transformerGraph, 4);
    const losses = trainFewSteps(model, 4);
    expect(losses.every(Number.isFinite)).toBe(true);
    const dir = path.join(workDir, 'transformer');
    await saveModel(model, dir, { labels: ['a', 'b'], seed: 4 });

    const loaded = await loadModel(dir);
    const x = tokens(99);
    const trained = (model.predict(x) as tf.Tensor).dataSync();
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual(trained);
    // Training changed the weights, so the comparison is about the trained ones.
    expect((buildModel(transformerGraph, 4).model.predict(x) as tf.Tensor).dataSync()).not.toEqual(trained);
    expect(loaded.getUserDefinedMetadata()).toEqual({ labels: ['a', 'b'], seed: 4, mlspec: { weightsSha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(loaded.layers.map((l) => l.getClassName())).toEqual([
      'InputLayer', 'Embedding', 'PositionalEmbedding', 'TransformerEncoder', 'MultiHeadSelfAttention', 'SeededDropout', 'Dense',
    ]);
    // Only the two files, no temporary files left behind.
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  });

  it('writes model.json in the tfjs layers format, readable by tf.loadLayersModel', async () => {
    const { model } = buildModel(transformerGraph, 5);
    const dir = path.join(workDir, 'format');
    await saveModel(model, dir);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
    expect(json.generatedBy).toMatch(/^TensorFlow\.js tfjs-layers v/);
    expect(json.convertedBy).toBeNull();
    expect(json.modelTopology.class_name).toBeDefined();
    expect(json.modelTopology.config.layers.map((l: { name: string }) => l.name)).toEqual(transformerGraph.nodes.map((n) => n.name));
    expect(json.weightsManifest).toHaveLength(1);
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const specs: { name: string; shape: number[]; dtype: string }[] = json.weightsManifest[0].weights;
    expect(specs.map((s) => s.name)).toEqual(model.weights.map((w) => w.originalName));
    // float32 weights back to back: 4 bytes per value.
    const bytes = specs.reduce((total, s) => total + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
    expect(fs.statSync(path.join(dir, 'weights.bin')).size).toBe(bytes);
    expect(bytes).toBe(4 * model.countParams());

    // The standard loader, fed the files by hand.
    registerMlspecLayers();
    const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
    const loaded = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: specs as tf.io.WeightsManifestEntry[],
        weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
      }),
    );
    const x = tokens(7);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((model.predict(x) as tf.Tensor).dataSync());
  });

  it('round-trips batch norm statistics, recurrent layers and the leaky_relu activation', async () => {
    const graph = chainGraph(
      graphNode('x', 'input', { shape: [5, 3] }),
      graphNode('bn', 'batch_norm', { momentum: 0.5 }),
      graphNode('rnn', 'lstm', { units: 4, return_sequences: true, activation: 'leaky_relu' }),
      graphNode('gru', 'gru', { units: 3 }),
      graphNode('out', 'dense', { units: 2, activation: 'swish' }),
    );
    const { model } = buildModel(graph, 6);
    // A training-mode call moves the batch norm's moving statistics away from 0 and 1.
    model.apply(tf.randomNormal([8, 5, 3], 2, 3, 'float32', 1), { training: true });
    const dir = path.join(workDir, 'recurrent');
    await saveModel(model, dir);
    const loaded = await loadModel(dir);
    const x = tf.randomNormal([4, 5, 3], 0, 1, 'float32', 2);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((model.predict(x) as tf.Tensor).dataSync());
    const movingMean = loaded.getLayer('bn').getWeights()[2]!.dataSync();
    expect(movingMean).toEqual(model.getLayer('bn').getWeights()[2]!.dataSync());
    expect(Math.max(...movingMean)).toBeGreaterThan(0.5);
  });

  it('overwrites an earlier save in the same folder', async () => {
    const dir = path.join(workDir, 'again');
    const first = buildModel(transformerGraph, 1).model;
    const second = buildModel(transformerGraph, 2).model;
    await saveModel(first, dir);
    await saveModel(second, dir);
    const loaded = await loadModel(dir);
    const x = tokens(3);
    expect((loaded.predict(x) as tf.Tensor).dataSync()).toEqual((second.predict(x) as tf.Tensor).dataSync());
  });

  it('names the folder when there is no model in it', async () => {
    const missing = path.join(workDir, 'nothing-here');
    await expect(loadModel(missing)).rejects.toThrow(missing);
  });
});
