/**
 * Output shape (without the batch dimension) and parameter count of each layer kind, as
 * tfjs-layers computes them. A rule gets the node and the shapes of its inputs (already
 * checked to be the right number) and returns the result or a problem to report.
 */
import type { LayerKind, LayerNodeOf, Padding } from './types.js';

export type Shape = (number | null)[];

export type ShapeOutcome =
  | { shape: Shape; params: number; nonTrainable?: number }
  | { code: string; message: string };

type Rule<K extends LayerKind> = (node: LayerNodeOf<K>, inputs: Shape[]) => ShapeOutcome;

export const formatShape = (shape: Shape): string => `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;

/** A product where an unknown dimension makes the result unknown (counted as 0 parameters). */
const product = (dims: Shape): number | null => dims.reduce<number | null>((acc, d) => (acc === null || d === null ? null : acc * d), 1);
const known = (n: number | null): number => n ?? 0;

const mismatch = (node: { name: string; kind: string }, expected: string, shape: Shape): ShapeOutcome => ({
  code: 'E0301',
  message: `Layer '${node.name}' (${node.kind}) expects ${expected}, got ${formatShape(shape)}.`,
});

/** tfjs convOutputLength with dilation 1. */
export function outputLength(length: number | null, window: number, stride: number, padding: Padding): number | null {
  if (length === null) return null;
  const span = padding === 'same' ? length : length - window + 1;
  return Math.floor((span + stride - 1) / stride);
}

function windowed(node: { name: string; kind: string }, spatial: Shape, window: number[], stride: number[], padding: Padding): Shape | ShapeOutcome {
  const out = spatial.map((n, i) => outputLength(n, window[i]!, stride[i]!, padding));
  if (out.some((n) => n !== null && n < 1)) {
    return {
      code: 'E0305',
      message: `Layer '${node.name}' (${node.kind}) has a window of ${window.join('x')} but its input is only ${spatial.map((d) => d ?? '?').join('x')}, which leaves an empty output; use padding: same or a smaller window.`,
    };
  }
  // With padding: same a larger window only adds zeros, and tfjs's gradients loop over the whole
  // window: a window of 2^31 on an input of 5 trains for hours.
  if (padding === 'same' && spatial.some((n, i) => n !== null && window[i]! > n)) {
    return {
      code: 'E0305',
      message: `Layer '${node.name}' (${node.kind}) has a window of ${window.join('x')} but its input is only ${spatial.map((d) => d ?? '?').join('x')}; a window larger than its input covers only padding there, so use one of at most ${spatial.map((d) => d ?? '?').join('x')}.`,
    };
  }
  return out;
}

const isOutcome = (value: Shape | ShapeOutcome): value is ShapeOutcome => !Array.isArray(value);

const sameShape: Rule<'activation' | 'dropout'> = (_node, [input]) => ({ shape: [...input!], params: 0 });

const bias = (useBias: boolean, units: number): number => (useBias ? units : 0);

function recurrent(gates: number): Rule<'lstm' | 'gru' | 'simple_rnn'> {
  return (node, [input]) => {
    if (input!.length !== 2) return mismatch(node, 'a [steps, features] input', input!);
    const { units, use_bias, return_sequences } = node.config;
    const features = known(input![1]!);
    const params = gates * (units * (features + units) + bias(use_bias, units));
    return { shape: return_sequences ? [input![0]!, units] : [units], params };
  };
}

function conv(dims: 1 | 2): Rule<'conv1d' | 'conv2d'> {
  return (node, [input]) => {
    const shape = input!;
    if (shape.length !== dims + 1) return mismatch(node, dims === 1 ? 'a [steps, channels] input' : 'a [height, width, channels] input', shape);
    const kernel = typeof node.config.kernel === 'number' ? [node.config.kernel] : node.config.kernel;
    const stride = typeof node.config.stride === 'number' ? [node.config.stride] : node.config.stride;
    const spatial = windowed(node, shape.slice(0, dims), kernel, stride, node.config.padding);
    if (isOutcome(spatial)) return spatial;
    const channels = known(shape[dims]!);
    const { filters, use_bias } = node.config;
    const params = kernel.reduce((a, b) => a * b, 1) * channels * filters + bias(use_bias, filters);
    return { shape: [...spatial, filters], params };
  };
}

function pool(dims: 1 | 2): Rule<'max_pool1d' | 'avg_pool1d' | 'max_pool2d' | 'avg_pool2d'> {
  return (node, [input]) => {
    const shape = input!;
    if (shape.length !== dims + 1) return mismatch(node, dims === 1 ? 'a [steps, channels] input' : 'a [height, width, channels] input', shape);
    const size = typeof node.config.size === 'number' ? [node.config.size] : node.config.size;
    const stride = typeof node.config.stride === 'number' ? [node.config.stride] : node.config.stride;
    const spatial = windowed(node, shape.slice(0, dims), size, stride, node.config.padding);
    if (isOutcome(spatial)) return spatial;
    return { shape: [...spatial, shape[dims]!], params: 0 };
  };
}

function globalPool(dims: 1 | 2): Rule<'global_max_pool1d' | 'global_avg_pool1d' | 'global_max_pool2d' | 'global_avg_pool2d'> {
  return (node, [input]) =>
    input!.length === dims + 1
      ? { shape: [input![dims]!], params: 0 }
      : mismatch(node, dims === 1 ? 'a [steps, channels] input' : 'a [height, width, channels] input', input!);
}

/** Parameters of multi-head attention on width d: Q, K, V projections d -> heads*key_dim with biases, output projection back to d with bias. */
export function attentionParams(d: number, heads: number, keyDim: number): number {
  const inner = heads * keyDim;
  return 3 * (d * inner + inner) + inner * d + d;
}

function elementwise(verb: string): Rule<'add' | 'multiply'> {
  return (node, inputs) => {
    const first = inputs[0]!;
    const other = inputs.find((shape) => formatShape(shape) !== formatShape(first));
    if (other) {
      return {
        code: 'E0302',
        message: `Layer '${node.name}' cannot ${verb} shapes ${formatShape(first)} and ${formatShape(other)}; every input of ${node.kind} must have the same shape.`,
      };
    }
    return { shape: [...first], params: 0 };
  };
}

const concat: Rule<'concat'> = (node, inputs) => {
  const rank = inputs[0]!.length;
  const axis = node.config.axis < 0 ? rank + node.config.axis : node.config.axis;
  const shapes = inputs.map(formatShape).join(' and ');
  if (inputs.some((shape) => shape.length !== rank)) {
    return { code: 'E0302', message: `Layer '${node.name}' cannot concatenate shapes ${shapes} of different ranks.` };
  }
  if (axis < 0 || axis >= rank) {
    return { code: 'E0302', message: `Layer '${node.name}' joins along axis ${node.config.axis}, but its inputs have only ${rank} axes (${shapes}).` };
  }
  for (let i = 0; i < rank; i++) {
    if (i !== axis && inputs.some((shape) => shape[i] !== inputs[0]![i])) {
      return {
        code: 'E0302',
        message: `Layer '${node.name}' cannot concatenate shapes ${shapes} along axis ${node.config.axis}; every other axis must have the same size.`,
      };
    }
  }
  const joined = inputs.reduce<number | null>((sum, shape) => (sum === null || shape[axis] === null ? null : sum + shape[axis]!), 0);
  const shape = [...inputs[0]!];
  shape[axis] = joined;
  return { shape, params: 0 };
};

export const shapeRules: { [K in LayerKind]: Rule<K> } = {
  input: (node) =>
    node.config.shape.length === 0
      ? { code: 'E0301', message: `Input '${node.name}' has an empty shape; give the size of each sample, e.g. shape: [4].` }
      : { shape: [...node.config.shape], params: 0 },
  dense: (node, [input]) => {
    const { units, use_bias } = node.config;
    return { shape: [...input!.slice(0, -1), units], params: known(input![input!.length - 1]!) * units + bias(use_bias, units) };
  },
  activation: sameShape,
  dropout: sameShape,
  // tfjs's Flatten refuses a sample of one axis (it is flat already) at run time.
  flatten: (node, [input]) =>
    input!.length < 2 ? mismatch(node, 'a sample of at least 2 axes (one axis is flat already; remove the flatten)', input!) : { shape: [product(input!)], params: 0 },
  reshape: (node, [input]) => {
    const from = product(input!);
    const to = product(node.config.shape);
    if (from !== null && from !== to) {
      return {
        code: 'E0303',
        message: `Layer '${node.name}' cannot reshape ${formatShape(input!)} (${from} values) to ${formatShape(node.config.shape)} (${to} values).`,
      };
    }
    return { shape: [...node.config.shape], params: 0 };
  },
  batch_norm: (_node, [input]) => {
    const channels = known(input![input!.length - 1]!);
    return { shape: [...input!], params: 4 * channels, nonTrainable: 2 * channels };
  },
  layer_norm: (_node, [input]) => ({ shape: [...input!], params: 2 * known(input![input!.length - 1]!) }),
  conv1d: conv(1) as Rule<'conv1d'>,
  conv2d: conv(2) as Rule<'conv2d'>,
  max_pool1d: pool(1) as Rule<'max_pool1d'>,
  avg_pool1d: pool(1) as Rule<'avg_pool1d'>,
  max_pool2d: pool(2) as Rule<'max_pool2d'>,
  avg_pool2d: pool(2) as Rule<'avg_pool2d'>,
  global_max_pool1d: globalPool(1),
  global_avg_pool1d: globalPool(1),
  global_max_pool2d: globalPool(2),
  global_avg_pool2d: globalPool(2),
  embedding: (node, [input]) => ({ shape: [...input!, node.config.dim], params: node.config.vocab * node.config.dim }),
  lstm: recurrent(4),
  gru: recurrent(3),
  simple_rnn: recurrent(1),
  attention: (node, [input]) => {
    if (input!.length !== 2) return mismatch(node, 'a [steps, features] input', input!);
    return { shape: [...input!], params: attentionParams(known(input![1]!), node.config.heads, node.config.key_dim) };
  },
  transformer: (node, [input]) => {
    if (input!.length !== 2) return mismatch(node, 'a [steps, features] input', input!);
    const d = known(input![1]!);
    const { heads, key_dim, ff } = node.config;
    const norms = 2 * (2 * d);
    const feedForward = d * ff + ff + ff * d + d;
    return { shape: [...input!], params: attentionParams(d, heads, key_dim) + norms + feedForward };
  },
  positional_embedding: (node, [input]) => {
    if (input!.length !== 2) return mismatch(node, 'a [steps, features] input', input!);
    const steps = input![0]!;
    if (steps !== null && steps > node.config.max_length) {
      return {
        code: 'E0301',
        message: `Layer '${node.name}' (positional_embedding) has max_length ${node.config.max_length} but its input has ${steps} steps; raise max_length to at least ${steps}.`,
      };
    }
    return { shape: [...input!], params: node.config.max_length * known(input![1]!) };
  },
  add: elementwise('add'),
  multiply: elementwise('multiply'),
  concat,
};

