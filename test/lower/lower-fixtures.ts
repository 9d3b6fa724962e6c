import type { LayerKind } from '../../src/ir/types.js';
export { lowerSpec } from '../../src/lower/lower.js';

/** Every layer kind but input (which becomes tf.input). Typed so that a new kind must be added here. */
const KINDS: Record<Exclude<LayerKind, 'input'>, true> = {
  dense: true, activation: true, dropout: true, flatten: true, reshape: true, batch_norm: true, layer_norm: true,
  conv1d: true, conv2d: true, max_pool1d: true, avg_pool1d: true, max_pool2d: true, avg_pool2d: true,
  global_max_pool1d: true, global_avg_pool1d: true, global_max_pool2d: true, global_avg_pool2d: true,
  embedding: true, lstm: true, gru: true, simple_rnn: true, attention: true, transformer: true,
  positional_embedding: true, add: true, multiply: true, concat: true,
};
export const LAYER_KINDS_FOR_TEST = Object.keys(KINDS);
