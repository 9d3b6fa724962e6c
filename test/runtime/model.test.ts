import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelGraph } from '../../src/runtime/contracts.js';
import { buildModel } from '../../src/runtime/model.js';
import { deriveSeed } from '../../src/runtime/rng.js';
import { chainGraph, graphNode } from './layers/graph-fixtures.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const input = (shape: number[], dtype: 'float32' | 'int32' = 'float32') => graphNode('x', 'input', { shape, dtype });

interface Case {
  kind: string;
  graph: ModelGraph;
  shape: (number | null)[];
  params: number;
}

/** Expected parameter counts are computed by hand from each layer's formula. */
const cases: Case[] = [
  { kind: 'dense', graph: chainGraph(input([10]), graphNode('h', 'dense', { units: 64, activation: 'relu' })), shape: [null, 64], params: 10 * 64 + 64 },
  { kind: 'dense without bias', graph: chainGraph(input([10]), graphNode('h', 'dense', { units: 4, use_bias: false })), shape: [null, 4], params: 40 },
  { kind: 'dense on a sequence', graph: chainGraph(input([5, 3]), graphNode('h', 'dense', { units: 2 })), shape: [null, 5, 2], params: 3 * 2 + 2 },
  { kind: 'activation', graph: chainGraph(input([7]), graphNode('a', 'activation', { fn: 'gelu' })), shape: [null, 7], params: 0 },
  { kind: 'dropout', graph: chainGraph(input([7]), graphNode('d', 'dropout', { rate: 0.5 })), shape: [null, 7], params: 0 },
  { kind: 'flatten', graph: chainGraph(input([4, 3, 2]), graphNode('f', 'flatten')), shape: [null, 24], params: 0 },
  { kind: 'reshape', graph: chainGraph(input([12]), graphNode('r', 'reshape', { shape: [3, 4] })), shape: [null, 3, 4], params: 0 },
  // gamma, beta, moving mean, moving variance per channel
  { kind: 'batch_norm', graph: chainGraph(input([8, 8, 3]), graphNode('b', 'batch_norm')), shape: [null, 8, 8, 3], params: 4 * 3 },
  { kind: 'layer_norm', graph: chainGraph(input([5, 6]), graphNode('n', 'layer_norm')), shape: [null, 5, 6], params: 2 * 6 },
  { kind: 'conv1d', graph: chainGraph(input([20, 3]), graphNode('c', 'conv1d', { filters: 8, kernel: 3 })), shape: [null, 18, 8], params: 3 * 3 * 8 + 8 },
  {
    kind: 'conv1d strided, same padding',
    graph: chainGraph(input([20, 3]), graphNode('c', 'conv1d', { filters: 4, kernel: 5, stride: 2, padding: 'same' })),
    shape: [null, 10, 4],
    params: 5 * 3 * 4 + 4,
  },
  {
    kind: 'conv2d',
    graph: chainGraph(input([8, 8, 1]), graphNode('c', 'conv2d', { filters: 32, kernel: [3, 3], padding: 'same' })),
    shape: [null, 8, 8, 32],
    params: 3 * 3 * 1 * 32 + 32,
  },
  {
    kind: 'conv2d strided, valid',
    graph: chainGraph(input([9, 7, 2]), graphNode('c', 'conv2d', { filters: 3, kernel: [3, 2], stride: [2, 1] })),
    shape: [null, 4, 6, 3],
    params: 3 * 2 * 2 * 3 + 3,
  },
  { kind: 'max_pool1d', graph: chainGraph(input([20, 3]), graphNode('p', 'max_pool1d', { size: 2, stride: 2 })), shape: [null, 10, 3], params: 0 },
  {
    kind: 'avg_pool1d',
    graph: chainGraph(input([20, 3]), graphNode('p', 'avg_pool1d', { size: 3, stride: 1, padding: 'same' })),
    shape: [null, 20, 3],
    params: 0,
  },
  {
    kind: 'max_pool2d',
    graph: chainGraph(input([8, 8, 4]), graphNode('p', 'max_pool2d', { size: [2, 2], stride: [2, 2] })),
    shape: [null, 4, 4, 4],
    params: 0,
  },
  {
    kind: 'avg_pool2d',
    graph: chainGraph(input([8, 8, 4]), graphNode('p', 'avg_pool2d', { size: [2, 2], stride: [1, 1] })),
    shape: [null, 7, 7, 4],
    params: 0,
  },
  { kind: 'global_max_pool1d', graph: chainGraph(input([20, 3]), graphNode('g', 'global_max_pool1d')), shape: [null, 3], params: 0 },
  { kind: 'global_avg_pool1d', graph: chainGraph(input([20, 3]), graphNode('g', 'global_avg_pool1d')), shape: [null, 3], params: 0 },
  { kind: 'global_max_pool2d', graph: chainGraph(input([8, 8, 4]), graphNode('g', 'global_max_pool2d')), shape: [null, 4], params: 0 },
  { kind: 'global_avg_pool2d', graph: chainGraph(input([8, 8, 4]), graphNode('g', 'global_avg_pool2d')), shape: [null, 4], params: 0 },
  {
    kind: 'embedding',
    graph: chainGraph(input([8], 'int32'), graphNode('e', 'embedding', { vocab: 10, dim: 32 })),
    shape: [null, 8, 32],
    params: 10 * 32,
  },
  // 4 gates, each: units * (in + units) + units
  { kind: 'lstm', graph: chainGraph(input([20, 1]), graphNode('l', 'lstm', { units: 32 })), shape: [null, 32], params: 4 * (32 * (1 + 32) + 32) },
  {
    kind: 'lstm returning sequences',
    graph: chainGraph(input([20, 2]), graphNode('l', 'lstm', { units: 4, return_sequences: true })),
    shape: [null, 20, 4],
    params: 4 * (4 * (2 + 4) + 4),
  },
  // tfjs GRU has no reset_after: 3 gates of units * (in + units) + units
  { kind: 'gru', graph: chainGraph(input([20, 3]), graphNode('g', 'gru', { units: 16 })), shape: [null, 16], params: 3 * (16 * (3 + 16) + 16) },
  {
    kind: 'simple_rnn',
    graph: chainGraph(input([5, 4]), graphNode('s', 'simple_rnn', { units: 8, return_sequences: true })),
    shape: [null, 5, 8],
    params: 8 * (4 + 8) + 8,
  },
  // 3 * (d*h*k + h*k) + h*k*d + d with d = 32, h = 4, k = 8
  {
    kind: 'attention',
    graph: chainGraph(input([8, 32]), graphNode('a', 'attention', { heads: 4, key_dim: 8 })),
    shape: [null, 8, 32],
    params: 3 * (32 * 32 + 32) + 32 * 32 + 32,
  },
  // attention + two layer norms (2d each) + d*ff + ff + ff*d + d
  {
    kind: 'transformer',
    graph: chainGraph(input([8, 32]), graphNode('t', 'transformer', { heads: 4, key_dim: 8, ff: 64 })),
    shape: [null, 8, 32],
    params: 3 * (32 * 32 + 32) + 32 * 32 + 32 + 2 * (2 * 32) + (32 * 64 + 64) + (64 * 32 + 32),
  },
  {
    kind: 'positional_embedding',
    graph: chainGraph(input([8, 32]), graphNode('p', 'positional_embedding', { max_length: 10 })),
    shape: [null, 8, 32],
    params: 10 * 32,
  },
  {
    kind: 'add',
    graph: {
      nodes: [input([4]), graphNode('a', 'dense', { units: 3 }, ['x']), graphNode('b', 'dense', { units: 3 }, ['x']), graphNode('s', 'add', {}, ['a', 'b'])],
      inputs: ['x'],
      outputs: ['s'],
    },
    shape: [null, 3],
    params: 2 * (4 * 3 + 3),
  },
  {
    kind: 'multiply',
    graph: {
      nodes: [input([4]), graphNode('a', 'dense', { units: 3 }, ['x']), graphNode('b', 'dense', { units: 3 }, ['x']), graphNode('m', 'multiply', {}, ['a', 'b'])],
      inputs: ['x'],
      outputs: ['m'],
    },
    shape: [null, 3],
    params: 2 * (4 * 3 + 3),
  },
  {
    kind: 'concat (last axis)',
    graph: {
      nodes: [input([4]), graphNode('a', 'dense', { units: 3 }, ['x']), graphNode('c', 'concat', {}, ['a', 'x'])],
      inputs: ['x'],
      outputs: ['c'],
    },
    shape: [null, 7],
    params: 4 * 3 + 3,
  },
  {
    // mlspec's axis 0 is the first axis of a sample, not the batch axis.
    kind: 'concat (sample axis 0)',
    graph: {
      nodes: [input([3, 4]), graphNode('a', 'dense', { units: 4 }, ['x']), graphNode('c', 'concat', { axis: 0 }, ['a', 'x'])],
      inputs: ['x'],
      outputs: ['c'],
    },
    shape: [null, 6, 4],
    params: 4 * 4 + 4,
  },
];

describe('buildModel: every layer kind', () => {
  it.each(cases)('$kind: output shape and parameter count', ({ graph, shape, params }) => {
    const { model } = buildModel(graph, 1);
    expect(model.outputs[0]!.shape).toEqual(shape);
    expect(model.countParams()).toBe(params);
    // Layers are named after their nodes.
    for (const node of graph.nodes) expect(model.getLayer(node.name).name).toBe(node.name);
    // And the model runs on a batch of 2.
    const inputShape = [2, ...(graph.nodes[0]!.config['shape'] as number[])];
    const x = graph.nodes[0]!.config['dtype'] === 'int32' ? tf.zeros(inputShape, 'int32') : tf.randomUniform(inputShape);
    const y = model.predict(x) as tf.Tensor;
    expect(y.shape).toEqual([2, ...shape.slice(1)]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('covers every mlspec layer kind', () => {
    const kinds = new Set(cases.flatMap((c) => c.graph.nodes.map((n) => n.layer)));
    const all = [
      'input', 'dense', 'activation', 'dropout', 'flatten', 'reshape', 'batch_norm', 'layer_norm', 'conv1d', 'conv2d',
      'max_pool1d', 'avg_pool1d', 'max_pool2d', 'avg_pool2d', 'global_max_pool1d', 'global_avg_pool1d',
      'global_max_pool2d', 'global_avg_pool2d', 'embedding', 'lstm', 'gru', 'simple_rnn', 'attention', 'transformer',
      'positional_embedding', 'add', 'multiply', 'concat',
    ];
    expect([...kinds].sort()).toEqual([...all].sort());
  });

  it('rejects an unknown kind and a reference to a later node', () => {
    expect(() => buildModel(chainGraph(input([2]), graphNode('z', 'zap')), 1)).toThrow(/unknown layer kind 'zap'/);
    const graph: ModelGraph = { nodes: [input([2]), graphNode('h', 'dense', { units: 1 }, ['later'])], inputs: ['x'], outputs: ['h'] };
    expect(() => buildModel(graph, 1)).toThrow(/'later'/);
  });
});

describe('buildModel: activations', () => {
  const phi = { '1': 0.8413447460685429, '-1': 0.15865525393145707 }; // standard normal CDF
  const expected: Record<string, (v: number) => number> = {
    linear: (v) => v,
    relu: (v) => Math.max(0, v),
    sigmoid: (v) => 1 / (1 + Math.exp(-v)),
    tanh: Math.tanh,
    elu: (v) => (v > 0 ? v : Math.exp(v) - 1),
    selu: (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1)),
    gelu: (v) => v * (v === 1 ? phi['1'] : v === -1 ? phi['-1'] : v === 0 ? 0.5 : NaN),
    softplus: (v) => Math.log(1 + Math.exp(v)),
    swish: (v) => v / (1 + Math.exp(-v)),
    leaky_relu: (v) => (v >= 0 ? v : 0.2 * v),
  };
  const values = [-1, 0, 1];

  it.each(Object.keys(expected))('%s, as a dense activation and as an activation layer', (fn) => {
    const denseGraph = chainGraph(input([3]), graphNode('h', 'dense', { units: 3, activation: fn }));
    const { model } = buildModel(denseGraph, 1);
    // Identity kernel, zero bias: the output is the activation of the input.
    model.getLayer('h').setWeights([tf.eye(3), tf.zeros([3])]);
    const viaDense = (model.predict(tf.tensor2d([values])) as tf.Tensor).dataSync();
    const { model: activationModel } = buildModel(chainGraph(input([3]), graphNode('a', 'activation', { fn })), 1);
    const viaLayer = (activationModel.predict(tf.tensor2d([values])) as tf.Tensor).dataSync();
    values.forEach((v, i) => {
      expect(viaDense[i]).toBeCloseTo(expected[fn]!(v), 5);
      expect(viaLayer[i]).toBeCloseTo(expected[fn]!(v), 5);
    });
  });

  it('softmax', () => {
    const { model } = buildModel(chainGraph(input([3]), graphNode('a', 'activation', { fn: 'softmax' })), 1);
    const out = (model.predict(tf.tensor2d([values])) as tf.Tensor).dataSync();
    const total = values.reduce((s, v) => s + Math.exp(v), 0);
    values.forEach((v, i) => expect(out[i]).toBeCloseTo(Math.exp(v) / total, 6));
  });
});

/** Every weight's values, by weight name. */
function weightValues(model: tf.LayersModel): Map<string, Float32Array> {
  return new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));
}

describe('buildModel: seeded initialisation', () => {
  const graph = chainGraph(
    input([6], 'int32'),
    graphNode('tok', 'embedding', { vocab: 5, dim: 8 }),
    graphNode('pos', 'positional_embedding', { max_length: 6 }),
    graphNode('att', 'attention', { heads: 2, key_dim: 4 }),
    graphNode('enc', 'transformer', { heads: 2, key_dim: 4, ff: 16 }),
    graphNode('rnn', 'lstm', { units: 4, return_sequences: true }),
    graphNode('gru', 'gru', { units: 3, initializer: 'he_normal' }),
    graphNode('out', 'dense', { units: 2, initializer: 'lecun_uniform' }),
  );

  it('the same seed gives identical weights', () => {
    const a = weightValues(buildModel(graph, 7).model);
    const b = weightValues(buildModel(graph, 7).model);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [name, values] of a) expect(b.get(name), name).toEqual(values);
  });

  it('a different seed gives different values for every randomly initialised weight', () => {
    const a = weightValues(buildModel(graph, 7).model);
    const b = weightValues(buildModel(graph, 8).model);
    let random = 0;
    for (const [name, values] of a) {
      if (!/(kernel|embeddings)$/.test(name)) continue; // biases and norms start at fixed values
      random += 1;
      expect(b.get(name), name).not.toEqual(values);
    }
    // embeddings, table, 4 attention kernels, 6 transformer kernels, lstm and gru kernels x 2, dense kernel
    expect(random).toBe(1 + 1 + 4 + 6 + 2 + 2 + 1);
  });

  it('draws a kernel from deriveSeed(seed, "init", node name, weight name)', () => {
    const { model } = buildModel(chainGraph(input([10]), graphNode('hidden', 'dense', { units: 6 })), 42);
    const kernel = model.getLayer('hidden').getWeights()[0]!;
    const expected = tf.initializers.glorotUniform({ seed: deriveSeed(42, 'init', 'hidden', 'kernel') }).apply([10, 6]);
    expect(kernel.dataSync()).toEqual(expected.dataSync());
  });

  it('honours the named initializer', () => {
    const { model } = buildModel(
      chainGraph(input([4]), graphNode('z', 'dense', { units: 3, initializer: 'ones' }), graphNode('u', 'dense', { units: 50, initializer: 'random_uniform' })),
      1,
    );
    expect([...model.getLayer('z').getWeights()[0]!.dataSync()]).toEqual(new Array(12).fill(1));
    const uniform = model.getLayer('u').getWeights()[0]!.dataSync();
    expect(Math.max(...uniform)).toBeLessThanOrEqual(0.05);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(-0.05);
  });
});

describe('buildModel: penalty', () => {
  it('is null when no layer has l1 or l2', () => {
    expect(buildModel(chainGraph(input([3]), graphNode('h', 'dense', { units: 2 })), 1).penalty()).toBeNull();
  });

  it('sums l1*sum|kernel| + l2*sum(kernel^2) over the penalised layers, from current values', () => {
    const graph = chainGraph(
      input([3]),
      graphNode('h', 'dense', { units: 4, l1: 0.01, l2: 0.1 }),
      graphNode('free', 'dense', { units: 3 }),
      graphNode('out', 'dense', { units: 2, l2: 0.5 }),
    );
    const built = buildModel(graph, 3);
    const hand = () => {
      const h = [...built.model.getLayer('h').getWeights()[0]!.dataSync()];
      const out = [...built.model.getLayer('out').getWeights()[0]!.dataSync()];
      const abs = h.reduce((s, v) => s + Math.abs(v), 0);
      const sq = (w: number[]) => w.reduce((s, v) => s + v * v, 0);
      return 0.01 * abs + 0.1 * sq(h) + 0.5 * sq(out);
    };
    expect(built.penalty()!.dataSync()[0]).toBeCloseTo(hand(), 5);
    // Change the weights: the penalty follows the current values (12 entries of -2 in h).
    built.model.getLayer('h').setWeights([tf.fill([3, 4], -2), tf.zeros([4])]);
    const outSquares = [...built.model.getLayer('out').getWeights()[0]!.dataSync()].reduce((s, v) => s + v * v, 0);
    expect(built.penalty()!.dataSync()[0]).toBeCloseTo(0.01 * 12 * 2 + 0.1 * 12 * 4 + 0.5 * outSquares, 4);
  });

  it('applies to the input kernel of recurrent and convolution layers only', () => {
    const graph = chainGraph(
      input([6, 2]),
      graphNode('c', 'conv1d', { filters: 3, kernel: 2, l1: 0.2 }),
      graphNode('r', 'lstm', { units: 2, l2: 0.3 }),
    );
    const built = buildModel(graph, 5);
    const conv = [...built.model.getLayer('c').getWeights()[0]!.dataSync()];
    const lstmKernel = [...built.model.getLayer('r').getWeights()[0]!.dataSync()];
    expect(lstmKernel.length).toBe(3 * 4 * 2); // [in, 4 * units], not the recurrent kernel
    const hand = 0.2 * conv.reduce((s, v) => s + Math.abs(v), 0) + 0.3 * lstmKernel.reduce((s, v) => s + v * v, 0);
    expect(built.penalty()!.dataSync()[0]).toBeCloseTo(hand, 5);
  });

  it('has gradients with respect to the penalised kernel', () => {
    const built = buildModel(chainGraph(input([2]), graphNode('h', 'dense', { units: 2, l2: 0.5 })), 1);
    const kernel = built.model.getLayer('h').trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => built.penalty()!, [kernel]);
    // d/dW 0.5 * sum(W^2) = W
    expect(grads[kernel.name]!.dataSync()).toEqual(kernel.dataSync());
  });
});
