/** Small helpers to write ModelGraphs in tests, with the IR builder's defaults filled in. */
import type { GraphNode, JsonValue, ModelGraph } from '../../../src/runtime/contracts.js';

type Config = { [key: string]: JsonValue };

export const WEIGHT_DEFAULTS: Config = { initializer: 'glorot_uniform', use_bias: true, l1: 0, l2: 0 };

/** Defaults of the IR builder (src/ir/schema/layers.ts) for the options tests leave out. */
const DEFAULTS: Record<string, Config> = {
  input: { dtype: 'float32' },
  dense: { activation: 'linear', ...WEIGHT_DEFAULTS },
  conv1d: { stride: 1, padding: 'valid', activation: 'linear', ...WEIGHT_DEFAULTS },
  conv2d: { stride: [1, 1], padding: 'valid', activation: 'linear', ...WEIGHT_DEFAULTS },
  max_pool1d: { padding: 'valid' },
  avg_pool1d: { padding: 'valid' },
  max_pool2d: { padding: 'valid' },
  avg_pool2d: { padding: 'valid' },
  batch_norm: { momentum: 0.99, epsilon: 0.001 },
  layer_norm: { epsilon: 0.001 },
  embedding: { initializer: 'random_uniform' },
  lstm: { return_sequences: false, activation: 'tanh', ...WEIGHT_DEFAULTS },
  gru: { return_sequences: false, activation: 'tanh', ...WEIGHT_DEFAULTS },
  simple_rnn: { return_sequences: false, activation: 'tanh', ...WEIGHT_DEFAULTS },
  attention: { dropout: 0, causal: false },
  transformer: { dropout: 0, causal: false, epsilon: 1e-5 },
  concat: { axis: -1 },
};

export function graphNode(name: string, layer: string, config: Config = {}, inputs: string[] = []): GraphNode {
  return { name, layer, config: { ...(DEFAULTS[layer] ?? {}), ...config }, inputs };
}

/** A chain: each node after the first takes the one before it; the first is the input, the last the output. */
export function chainGraph(...nodes: GraphNode[]): ModelGraph {
  const linked = nodes.map((n, i) => (i === 0 || n.inputs.length > 0 ? n : { ...n, inputs: [nodes[i - 1]!.name] }));
  return { nodes: linked, inputs: [linked[0]!.name], outputs: [linked[linked.length - 1]!.name] };
}
