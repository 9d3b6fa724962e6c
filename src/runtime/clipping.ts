/**
 * Gradient clipping (docs/semantics.md, "Clipping"), applied after the gradients are computed and
 * before the optimizer. Each clipper returns new tensors; the caller disposes the inputs.
 */
import * as tf from '@tensorflow/tfjs';
import type { GradientClipper } from './contracts.js';

export interface ClipLimitConfig {
  /** The threshold: a value for clipByValue, a norm for the other two. Must be positive. */
  limit: number;
}

function clipLimitChecked(kind: string, config: ClipLimitConfig): number {
  if (!(config.limit > 0)) throw new Error(`${kind}: limit must be a positive number, got ${String(config.limit)}`);
  return config.limit;
}

/** Elementwise: g <- clip(g, -limit, limit). */
export function clipByValue(config: ClipLimitConfig): GradientClipper {
  const limit = clipLimitChecked('clip value', config);
  return {
    clip: (gradients) => gradients.map((g) => tf.clipByValue(g, -limit, limit)),
  };
}

/** Per tensor: g <- g * limit / max(||g||, limit), with ||g|| the tensor's Euclidean norm. */
export function clipByNorm(config: ClipLimitConfig): GradientClipper {
  const limit = clipLimitChecked('clip norm', config);
  return {
    clip: (gradients) =>
      gradients.map((g) =>
        tf.tidy(() => {
          const norm = g.square().sum().sqrt();
          return g.mul(tf.scalar(limit).div(tf.maximum(norm, tf.scalar(limit))));
        }),
      ),
  };
}

/** All tensors together: g <- g * limit / max(global_norm, limit), global_norm = sqrt(sum over all entries of g^2). */
export function clipByGlobalNorm(config: ClipLimitConfig): GradientClipper {
  const limit = clipLimitChecked('clip global_norm', config);
  return {
    clip: (gradients) =>
      tf.tidy(() => {
        if (gradients.length === 0) return [];
        const globalNorm = tf.addN(gradients.map((g) => g.square().sum())).sqrt();
        const scale = tf.scalar(limit).div(tf.maximum(globalNorm, tf.scalar(limit)));
        return gradients.map((g) => g.mul(scale));
      }),
  };
}
