import * as tf from '@tensorflow/tfjs';

/**
 * Layer normalization over the last axis, as Keras LayerNormalization computes it:
 * (x - mean) / sqrt(variance + epsilon) * gamma + beta, with the biased variance.
 * Written with basic ops so it has gradients on every backend.
 */
export function mlspecLayerNormalize(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), -1, true);
    const normalized = tf.mul(centered, tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(normalized, gamma), beta);
  });
}
