/**
 * Builds a tfjs LayersModel from a ModelGraph (nodes in topological order), plus the L1/L2
 * weight penalty that the training loop adds to the loss inside its gradient tape.
 */
import * as tf from '@tensorflow/tfjs';
import type { GraphNode, ModelGraph } from './contracts.js';
import { MLSPEC_LAYER_FACTORIES, type GraphLayerFactory } from './layers/graph-layers.js';
import { registerMlspecLayers } from './layers/register.js';
import { MlspecColumnSlice, PACKED_INPUT_NAME, packedInputSlices } from './layers/column-slice.js';

export interface BuiltModel {
  model: tf.LayersModel;
  /**
   * Sum over layers with l1 or l2 > 0 of l1 * sum|kernel| + l2 * sum(kernel^2) (Keras convention,
   * no 1/2), from the current variable values; null when no layer has a penalty.
   */
  penalty(): tf.Scalar | null;
}

interface PenalisedKernel {
  kernel: tf.LayerVariable;
  l1: number;
  l2: number;
}

/**
 * The tfjs name of a node. tfjs keeps layers and tensors in plain objects keyed by name and only
 * accepts names that start with a letter or digit, so nodes named `_h`, `__proto__` or
 * `constructor` break it. Those get a prefix with a `-`, which mlspec names cannot contain, so no
 * two nodes end up with the same tfjs name; every other name is used as it is.
 */
export function tfjsLayerName(name: string): string {
  const usable = /^[A-Za-z0-9]/.test(name) && !Object.prototype.hasOwnProperty.call(Object.prototype, name);
  return usable ? name : `node-${name}`;
}

function buildGraphInput(node: GraphNode): tf.SymbolicTensor {
  const shape = node.config['shape'];
  const dtype = node.config['dtype'] ?? 'float32';
  if (!Array.isArray(shape) || !shape.every((d) => typeof d === 'number')) {
    throw new Error(`input '${node.name}': shape must be a list of numbers`);
  }
  if (dtype !== 'float32' && dtype !== 'int32') throw new Error(`input '${node.name}': dtype must be float32 or int32`);
  return tf.input({ name: tfjsLayerName(node.name), shape: shape as number[], dtype });
}

/** The one packed tf.input of a model with several inputs, and each input node's slice of it. */
function buildPackedInputs(graph: ModelGraph): { input: tf.SymbolicTensor; slices: Map<string, tf.SymbolicTensor> } {
  const nodes = graph.inputs.map((name) => {
    const node = graph.nodes.find((candidate) => candidate.name === name && candidate.layer === 'input');
    if (node === undefined) throw new Error(`model input '${name}' is not an input node`);
    buildGraphInput(node); // validates shape and dtype
    return { name, shape: node.config['shape'] as number[], dtype: (node.config['dtype'] ?? 'float32') as 'float32' | 'int32' };
  });
  const slices = packedInputSlices(nodes);
  const width = slices.reduce((sum, slice) => sum + slice.shape.reduce((a, b) => a * b, 1), 0);
  const input = tf.input({ name: PACKED_INPUT_NAME, shape: [width], dtype: 'float32' });
  const out = new Map<string, tf.SymbolicTensor>();
  for (const slice of slices) {
    const layer = new MlspecColumnSlice({ name: tfjsLayerName(slice.name), offset: slice.offset, shape: slice.shape, targetDtype: slice.dtype });
    out.set(slice.name, layer.apply(input) as tf.SymbolicTensor);
  }
  return { input, slices: out };
}

/** The kernel an L1/L2 penalty applies to (the input kernel of recurrent layers, as in Keras). */
function penalisedKernelOf(layer: tf.layers.Layer): tf.LayerVariable {
  const kernel = layer.trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
  if (kernel === undefined) throw new Error(`layer '${layer.name}' has an l1/l2 penalty but no kernel`);
  return kernel;
}

function nodePenaltyOption(node: GraphNode, key: 'l1' | 'l2'): number {
  const value = node.config[key];
  return typeof value === 'number' ? value : 0;
}

function computeKernelPenalty(kernels: readonly PenalisedKernel[]): tf.Scalar | null {
  if (kernels.length === 0) return null;
  return tf.tidy(() => {
    let total: tf.Scalar = tf.scalar(0);
    for (const { kernel, l1, l2 } of kernels) {
      const w = kernel.read();
      if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(w))));
      if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(w))));
    }
    return total;
  });
}

/** An L1/L2 penalty on a layer's kernel (Keras convention: l1 * sum|w| + l2 * sum(w^2)). */
export interface KernelPenalty {
  /** The layer's tfjs name. */
  layer: string;
  l1: number;
  l2: number;
}

/**
 * A model with the weight penalty the training loop adds to the loss: the penalties are summed
 * in the order given (a spec's node order), so the same penalties give the same bits.
 */
export function withWeightPenalty(model: tf.LayersModel, penalties: readonly KernelPenalty[] = []): BuiltModel {
  const penalised: PenalisedKernel[] = penalties
    .filter((p) => p.l1 > 0 || p.l2 > 0)
    .map((p) => ({ kernel: penalisedKernelOf(model.getLayer(p.layer)), l1: p.l1, l2: p.l2 }));
  return { model, penalty: () => computeKernelPenalty(penalised) };
}

/** buildModelWith every layer kind mlspec has. */
export function buildModel(graph: ModelGraph, seed: number): BuiltModel {
  registerMlspecLayers();
  return buildModelWith(graph, seed, MLSPEC_LAYER_FACTORIES);
}

/**
 * Builds the model of a graph with the given layer factories (by kind). A plan passes only the
 * kinds its spec uses, so a compiled program carries only those.
 */
export function buildModelWith(
  graph: ModelGraph,
  seed: number,
  factories: Readonly<Record<string, GraphLayerFactory>>,
): BuiltModel {
  const outputs = new Map<string, tf.SymbolicTensor>();
  const tensorOf = (name: string, user: string): tf.SymbolicTensor => {
    const tensor = outputs.get(name);
    if (tensor === undefined) throw new Error(`layer '${user}' takes '${name}', which is not an earlier node`);
    return tensor;
  };
  const penalties: KernelPenalty[] = [];
  // Several inputs read one packed x (layers/column-slice.ts); one input is a plain tf.input as before.
  const packed = graph.inputs.length > 1 ? buildPackedInputs(graph) : null;

  for (const node of graph.nodes) {
    if (node.layer === 'input') {
      outputs.set(node.name, packed ? packed.slices.get(node.name)! : buildGraphInput(node));
      continue;
    }
    const factory = factories[node.layer];
    if (factory === undefined) throw new Error(`layer '${node.name}': unknown layer kind '${node.layer}'`);
    const layer = factory({ name: tfjsLayerName(node.name), layer: node.layer, config: node.config, seed });
    const inputs = node.inputs.map((name) => tensorOf(name, node.name));
    const output = layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.SymbolicTensor;
    outputs.set(node.name, output);

    const l1 = nodePenaltyOption(node, 'l1');
    const l2 = nodePenaltyOption(node, 'l2');
    if (l1 > 0 || l2 > 0) penalties.push({ layer: layer.name, l1, l2 });
  }

  const model = tf.model({
    inputs: packed ? [packed.input] : graph.inputs.map((name) => tensorOf(name, 'model input')),
    outputs: graph.outputs.map((name) => tensorOf(name, 'model output')),
  });
  return withWeightPenalty(model, penalties);
}
