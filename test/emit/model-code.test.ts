/**
 * The model a compiled program builds with its printed tfjs layers calls (src/emit/model-code.ts)
 * is the model `mlspec run` builds with the runtime's layer factories: the same layer configs
 * (initializers and seeds included) and the same initial weights, for every layer kind.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpecIR } from '../../src/ir/types.js';
import { modelCode } from '../../src/emit/model-code.js';
import type { GraphNode, JsonValue, ModelGraph } from '../../src/runtime/contracts.js';
import { modelFingerprint } from '../../src/runtime/describe.js';
import { MLSPEC_LAYER_FACTORIES } from '../../src/runtime/layers/graph-layers.js';
import { registerMlspecLayers } from '../../src/runtime/layers/register.js';
import { buildModelWith, type BuiltModel } from '../../src/runtime/model.js';
import { scratchDir } from './emit-helpers.js';

const dir = scratchDir('model-code');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
  registerMlspecLayers();
});

const w = { use_bias: true, initializer: 'glorot_uniform' };
const node = (name: string, layer: string, config: { [key: string]: JsonValue }, inputs: string[]): GraphNode => ({ name, layer, config, inputs });

const GRAPHS: Record<string, ModelGraph> = {
  image: {
    nodes: [
      node('x', 'input', { shape: [8, 8, 3] }, []),
      node('c', 'conv2d', { filters: 4, kernel: [3, 3], stride: [1, 1], padding: 'same', activation: 'relu', ...w, initializer: 'he_normal' }, ['x']),
      node('b', 'batch_norm', { momentum: 0.9, epsilon: 0.001 }, ['c']),
      node('p', 'max_pool2d', { size: [2, 2], stride: [2, 2], padding: 'valid' }, ['b']),
      node('q', 'avg_pool2d', { size: [2, 2], stride: [1, 1], padding: 'same' }, ['p']),
      node('g', 'global_avg_pool2d', {}, ['q']),
      node('gm', 'global_max_pool2d', {}, ['q']),
      node('class', 'concat', { axis: -1 }, ['g', 'gm']),
      node('__proto__', 'dense', { units: 3, activation: 'gelu', ...w, l2: 0.01, l1: 0.001 }, ['class']),
      node('d', 'dropout', { rate: 0.25 }, ['__proto__']),
      node('a', 'activation', { fn: 'leaky_relu' }, ['d']),
    ],
    inputs: ['x'],
    outputs: ['a'],
  },
  sequence: {
    nodes: [
      node('x', 'input', { shape: [10, 4] }, []),
      node('c', 'conv1d', { filters: 6, kernel: 3, stride: 1, padding: 'same', activation: 'tanh', ...w }, ['x']),
      node('p', 'max_pool1d', { size: 2, stride: 2, padding: 'valid' }, ['c']),
      node('q', 'avg_pool1d', { size: 1, stride: 1, padding: 'valid' }, ['p']),
      node('l', 'lstm', { units: 5, return_sequences: true, activation: 'tanh', ...w, initializer: 'orthogonal' }, ['q']),
      node('r', 'gru', { units: 4, return_sequences: true, activation: 'tanh', ...w }, ['l']),
      node('s', 'simple_rnn', { units: 4, return_sequences: true, activation: 'tanh', ...w, use_bias: false }, ['r']),
      node('n', 'layer_norm', { epsilon: 0.001 }, ['s']),
      node('gmax', 'global_max_pool1d', {}, ['n']),
      node('gavg', 'global_avg_pool1d', {}, ['n']),
      node('sum', 'add', {}, ['gmax', 'gavg']),
      node('prod', 'multiply', {}, ['sum', 'gmax']),
      node('shaped', 'reshape', { shape: [2, 2] }, ['prod']),
      node('flat', 'flatten', {}, ['shaped']),
    ],
    inputs: ['x'],
    outputs: ['flat'],
  },
  tokens: {
    nodes: [
      node('t', 'input', { shape: [8], dtype: 'int32' }, []),
      node('e', 'embedding', { vocab: 10, dim: 8, initializer: 'random_uniform' }, ['t']),
      node('pos', 'positional_embedding', { max_length: 8 }, ['e']),
      node('att', 'attention', { heads: 2, key_dim: 4, dropout: 0.1, causal: true }, ['pos']),
      node('enc', 'transformer', { heads: 2, key_dim: 4, ff: 16, dropout: 0, causal: false, epsilon: 0.00001 }, ['att']),
      node('out', 'dense', { units: 10, activation: 'linear', ...w }, ['enc']),
    ],
    inputs: ['t'],
    outputs: ['out'],
  },
};

/** Just what modelCode reads of the IR: the file name and each node's line. */
function fakeIr(graph: ModelGraph): SpecIR {
  const span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
  return { file: 'model.mlspec', model: { span, nodes: graph.nodes.map(() => ({ span })) } } as unknown as SpecIR;
}

async function emittedBuilder(name: string, graph: ModelGraph): Promise<(seed: number) => BuiltModel> {
  const file = path.join(dir, `${name}.ts`);
  const runtime = path.relative(dir, path.resolve(import.meta.dirname, '../../src/runtime/index.js')).split(path.sep).join('/');
  const code = modelCode(fakeIr(graph), graph).join('\n').replace('function buildModel(', 'export function buildModel(');
  fs.writeFileSync(file, `import * as tf from '@tensorflow/tfjs';\nimport * as mlspec from '${runtime}';\n${code}\n`);
  return ((await import(file)) as { buildModel: (seed: number) => BuiltModel }).buildModel;
}

describe('printed tfjs layers calls build the model the runtime factories build', () => {
  it('covers every layer kind mlspec has', () => {
    const kinds = new Set(Object.values(GRAPHS).flatMap((g) => g.nodes.map((n) => n.layer)));
    for (const kind of Object.keys(MLSPEC_LAYER_FACTORIES)) expect(kinds.has(kind), kind).toBe(true);
  });

  it.each(Object.keys(GRAPHS))('%s', async (name) => {
    const graph = GRAPHS[name]!;
    const code = modelCode(fakeIr(graph), graph).join('\n');
    // Every kind is printed as a call the reader recognises, none through the factory fallback.
    expect(code).not.toContain('MLSPEC_LAYER_FACTORIES');
    const build = await emittedBuilder(name, graph);
    const seed = 11;
    const expected = buildModelWith(graph, seed, MLSPEC_LAYER_FACTORIES);
    const actual = build(seed);
    try {
      expect(modelFingerprint(actual.model)).toBe(modelFingerprint(expected.model));
      expect(actual.model.weights.map((v) => v.originalName)).toEqual(expected.model.weights.map((v) => v.originalName));
      actual.model.weights.forEach((v, i) => expect(Buffer.from(v.read().dataSync().buffer)).toEqual(Buffer.from(expected.model.weights[i]!.read().dataSync().buffer)));
      const penalty = (b: BuiltModel) => b.penalty()?.dataSync()[0] ?? null;
      expect(penalty(actual)).toBe(penalty(expected));
    } finally {
      actual.model.dispose();
      expected.model.dispose();
    }
  });
});
