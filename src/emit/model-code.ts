/**
 * The model of a spec as TensorFlow.js layers calls: `tf.input`, `tf.layers.dense({ ... })` and
 * the other tfjs layers, mlspec's own layers as named runtime classes, joined with `tf.model`.
 * Each call passes exactly the arguments the runtime's layer factory (src/runtime/layers/
 * graph-layers.ts) passes, so the model is the one `mlspec run` builds, initial weights included
 * (test/emit/model-code.test.ts builds both for every layer kind and compares them). A kind
 * without a printer here is built by its runtime factory, which is correct, only less readable.
 */
import * as path from 'node:path';
import type { SpecIR } from '../ir/types.js';
import type { GraphNode, JsonValue, ModelGraph } from '../runtime/contracts.js';
import { PACKED_INPUT_NAME, packedInputSlices } from '../runtime/layers/column-slice.js';
import { tfjsLayerName } from '../runtime/model.js';
import { mlspecActivationId } from '../runtime/layers/options.js';
import { commentSafe, key, literal } from './literal.js';

type Config = { [key: string]: JsonValue };

const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await async of arguments eval undefined NaN Infinity tf mlspec seed model').split(' '),
);

/** A JavaScript name for each node: its own name when it is a plain, short identifier, else node_<i>. */
export function nodeIdentifiers(graph: ModelGraph): Map<string, string> {
  const names = new Map<string, string>();
  const used = new Set<string>();
  graph.nodes.forEach((node, i) => {
    let id = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/.test(node.name) && !RESERVED.has(node.name) ? node.name : `node_${i}`;
    while (used.has(id)) id = `${id}_`;
    used.add(id);
    names.set(node.name, id);
  });
  return names;
}

/** An argument object, on one line when short. */
function args(entries: [string, string][], indent: string): string {
  const parts = entries.map(([k, v]) => (k === v ? k : `${key(k)}: ${v}`));
  const line = `{ ${parts.join(', ')} }`;
  if (line.length + indent.length <= 110) return line;
  return `{\n${parts.map((p) => `${indent}  ${p},`).join('\n')}\n${indent}}`;
}

const num = (c: Config, k: string): string => literal(c[k]);
const activation = (name: JsonValue | undefined): string => literal(mlspecActivationId(String(name)));
/** mlspec counts axes of one sample (0 is the first); tfjs counts the batch axis too. */
const batchAxis = (axis: JsonValue | undefined): string => literal(typeof axis === 'number' && axis >= 0 ? axis + 1 : axis);

interface LayerCall {
  call: string;
  entries: [string, string][];
}

function printers(node: GraphNode, name: string): LayerCall | null {
  const c = node.config;
  const n = literal(name);
  const seeded = (weight: string) => `mlspec.seededInitializer(${literal(c['initializer'])}, seed, ${n}, ${literal(weight)})`;
  const weights = (): [string, string][] => [
    ['useBias', literal(c['use_bias'])],
    ['kernelInitializer', seeded('kernel')],
    ['biasInitializer', literal('zeros')],
  ];
  const recurrent = (): [string, string][] => [
    ['name', n],
    ['units', num(c, 'units')],
    ['returnSequences', literal(c['return_sequences'])],
    ['activation', activation(c['activation'])],
    ['recurrentInitializer', seeded('recurrent_kernel')],
    ...weights(),
  ];
  const pool = (): [string, string][] => [['name', n], ['poolSize', num(c, 'size')], ['strides', num(c, 'stride')], ['padding', literal(c['padding'])]];
  const tfl = (fn: string, entries: [string, string][]): LayerCall => ({ call: `tf.layers.${fn}`, entries });
  const own = (cls: string, entries: [string, string][]): LayerCall => ({ call: `new mlspec.${cls}`, entries });
  switch (node.layer) {
    case 'dense':
      return tfl('dense', [['name', n], ['units', num(c, 'units')], ['activation', activation(c['activation'])], ...weights()]);
    case 'activation':
      return tfl('activation', [['name', n], ['activation', activation(c['fn'])]]);
    case 'dropout':
      return own('SeededDropout', [['name', n], ['rate', num(c, 'rate')], ['seed', 'seed']]);
    case 'flatten':
      return tfl('flatten', [['name', n]]);
    case 'reshape':
      return tfl('reshape', [['name', n], ['targetShape', num(c, 'shape')]]);
    case 'batch_norm':
      return tfl('batchNormalization', [['name', n], ['momentum', num(c, 'momentum')], ['epsilon', num(c, 'epsilon')]]);
    case 'layer_norm':
      return tfl('layerNormalization', [['name', n], ['epsilon', num(c, 'epsilon')]]);
    case 'conv1d':
    case 'conv2d':
      return tfl(node.layer, [
        ['name', n],
        ['filters', num(c, 'filters')],
        ['kernelSize', num(c, 'kernel')],
        ['strides', num(c, 'stride')],
        ['padding', literal(c['padding'])],
        ['activation', activation(c['activation'])],
        ...weights(),
      ]);
    case 'max_pool1d':
      return tfl('maxPooling1d', pool());
    case 'avg_pool1d':
      return tfl('averagePooling1d', pool());
    case 'max_pool2d':
      return tfl('maxPooling2d', pool());
    case 'avg_pool2d':
      return tfl('averagePooling2d', pool());
    case 'global_max_pool1d':
      return tfl('globalMaxPooling1d', [['name', n]]);
    case 'global_avg_pool1d':
      return tfl('globalAveragePooling1d', [['name', n]]);
    case 'global_max_pool2d':
      return tfl('globalMaxPooling2d', [['name', n]]);
    case 'global_avg_pool2d':
      return tfl('globalAveragePooling2d', [['name', n]]);
    case 'embedding':
      return tfl('embedding', [['name', n], ['inputDim', num(c, 'vocab')], ['outputDim', num(c, 'dim')], ['embeddingsInitializer', seeded('embeddings')]]);
    // recurrentActivation 'sigmoid' and unitForgetBias as in Keras 2.3+ (tfjs defaults to hardSigmoid).
    case 'lstm':
      return tfl('lstm', [...recurrent(), ['recurrentActivation', literal('sigmoid')], ['unitForgetBias', 'true']]);
    case 'gru':
      return tfl('gru', [...recurrent(), ['recurrentActivation', literal('sigmoid')]]);
    case 'simple_rnn':
      return tfl('simpleRNN', recurrent());
    case 'attention':
      return own('MultiHeadSelfAttention', [['name', n], ['heads', num(c, 'heads')], ['keyDim', num(c, 'key_dim')], ['dropout', num(c, 'dropout')], ['causal', literal(c['causal'])], ['seed', 'seed']]);
    case 'transformer':
      return own('TransformerEncoder', [
        ['name', n],
        ['heads', num(c, 'heads')],
        ['keyDim', num(c, 'key_dim')],
        ['ff', num(c, 'ff')],
        ['dropout', num(c, 'dropout')],
        ['causal', literal(c['causal'])],
        ['epsilon', num(c, 'epsilon')],
        ['seed', 'seed'],
      ]);
    case 'positional_embedding':
      return own('PositionalEmbedding', [['name', n], ['maxLength', num(c, 'max_length')], ['seed', 'seed']]);
    case 'add':
      return tfl('add', [['name', n]]);
    case 'multiply':
      return tfl('multiply', [['name', n]]);
    case 'concat':
      return tfl('concatenate', [['name', n], ['axis', batchAxis(c['axis'])]]);
    default:
      return null;
  }
}

/** Kinds whose classes (or activations) tfjs must know by name to save and load the model. */
function needsRegistration(graph: ModelGraph): boolean {
  return graph.nodes.some(
    (node) =>
      ['dropout', 'attention', 'transformer', 'positional_embedding'].includes(node.layer) ||
      node.config['activation'] === 'leaky_relu' ||
      node.config['fn'] === 'leaky_relu',
  );
}

/**
 * Several inputs: one packed tf.input holding their columns side by side, and each input node a
 * column slice of it (src/runtime/layers/column-slice.ts), exactly as buildModelWith builds them.
 */
function packedInputCode(graph: ModelGraph, ids: ReadonlyMap<string, string>): { lines: string[]; input: string | null; slices: Map<string, string> } {
  if (graph.inputs.length <= 1) return { lines: [], input: null, slices: new Map() };
  const taken = new Set(ids.values());
  let input = 'packedInputs';
  while (taken.has(input)) input = `${input}_`;
  const nodes = graph.inputs.map((name) => graph.nodes.find((node) => node.name === name && node.layer === 'input')!);
  const slices = packedInputSlices(nodes.map((node) => ({ name: node.name, shape: node.config['shape'] as number[], dtype: (node.config['dtype'] ?? 'float32') as 'float32' | 'int32' })));
  const width = slices.reduce((sum, slice) => sum + slice.shape.reduce((a, b) => a * b, 1), 0);
  const lines = [
    '  // The inputs read one x: their columns side by side, in input order; each input is a slice of it.',
    `  const ${input} = tf.input({ name: ${literal(PACKED_INPUT_NAME)}, shape: [${width}] });`,
  ];
  const calls = new Map(
    slices.map((slice) => [
      slice.name,
      `new mlspec.MlspecColumnSlice({ name: ${literal(tfjsLayerName(slice.name))}, offset: ${slice.offset}, shape: ${literal(slice.shape)}, targetDtype: ${literal(slice.dtype)} }).apply(${input}) as tf.SymbolicTensor`,
    ]),
  );
  return { lines, input, slices: calls };
}

/** The `buildModel(seed)` function of a spec's model, as lines. */
export function modelCode(ir: SpecIR, graph: ModelGraph): string[] {
  const ids = nodeIdentifiers(graph);
  const file = commentSafe(path.basename(ir.file));
  const lines: string[] = [
    `// The model (${file}:${ir.model.span.start.line}). Random initializers are seeded from the run's seed, the layer's name and the`,
    "// weight, so a layer keeps its initial weights when others change. Change units, activations or layers freely.",
    'function buildModel(seed: number): mlspec.BuiltModel {',
  ];
  if (needsRegistration(graph)) lines.push('  mlspec.registerMlspecLayers();');
  const packed = packedInputCode(graph, ids);
  lines.push(...packed.lines);
  const penalties: string[] = [];
  graph.nodes.forEach((node, i) => {
    const irNode = ir.model.nodes[i]!;
    const id = ids.get(node.name)!;
    const name = tfjsLayerName(node.name);
    lines.push(`  // ${commentSafe(node.name)}: ${node.layer} (${file}:${irNode.span.start.line})`);
    if (node.layer === 'input' && packed.slices.has(node.name)) {
      lines.push(`  const ${id} = ${packed.slices.get(node.name)!};`);
      return;
    }
    if (node.layer === 'input') {
      const entries: [string, string][] = [['name', literal(name)], ['shape', literal(node.config['shape'])]];
      if ((node.config['dtype'] ?? 'float32') !== 'float32') entries.push(['dtype', literal(node.config['dtype'])]);
      lines.push(`  const ${id} = tf.input(${args(entries, '  ')});`);
      return;
    }
    const inputs = node.inputs.map((input) => ids.get(input)!);
    const applied = inputs.length === 1 ? inputs[0]! : `[${inputs.join(', ')}]`;
    const printed = printers(node, name);
    const layer = printed
      ? `${printed.call}(${args(printed.entries, '  ')})`
      : `mlspec.MLSPEC_LAYER_FACTORIES[${literal(node.layer)}]!({ name: ${literal(name)}, layer: ${literal(node.layer)}, config: ${JSON.stringify(node.config)}, seed })`;
    lines.push(`  const ${id} = ${layer}.apply(${applied}) as tf.SymbolicTensor;`);
    const l1 = typeof node.config['l1'] === 'number' ? node.config['l1'] : 0;
    const l2 = typeof node.config['l2'] === 'number' ? node.config['l2'] : 0;
    if (l1 > 0 || l2 > 0) penalties.push(`{ layer: ${literal(name)}, l1: ${literal(l1)}, l2: ${literal(l2)} }`);
  });
  const model = `tf.model({ inputs: [${packed.input ?? graph.inputs.map((n) => ids.get(n)!).join(', ')}], outputs: [${graph.outputs.map((n) => ids.get(n)!).join(', ')}] })`;
  if (penalties.length > 0) {
    lines.push('  // L1/L2 penalties on kernels, added to the loss by the training step.');
    lines.push(`  return mlspec.withWeightPenalty(${model}, [${penalties.join(', ')}]);`);
  } else {
    lines.push(`  return mlspec.withWeightPenalty(${model});`);
  }
  lines.push('}');
  return lines;
}
