import * as tf from '@tensorflow/tfjs';
import { MlspecColumnSlice } from './column-slice.js';
import { MlspecLeakyReluActivation } from './leaky-relu-activation.js';
import { MultiHeadSelfAttention } from './multi-head-self-attention.js';
import { PositionalEmbedding } from './positional-embedding.js';
import { SeededDropout } from './dropout.js';
import { TransformerEncoder } from './transformer-encoder.js';

let mlspecLayersRegistered = false;

/**
 * Registers mlspec's layers and the leaky_relu activation with tfjs serialization, so models
 * using them can be built, saved and loaded (tf.loadLayersModel included). Idempotent.
 */
export function registerMlspecLayers(): void {
  if (mlspecLayersRegistered) return;
  tf.serialization.registerClass(SeededDropout);
  tf.serialization.registerClass(MultiHeadSelfAttention);
  tf.serialization.registerClass(TransformerEncoder);
  tf.serialization.registerClass(PositionalEmbedding);
  tf.serialization.registerClass(MlspecLeakyReluActivation);
  tf.serialization.registerClass(MlspecColumnSlice);
  mlspecLayersRegistered = true;
}
