/**
 * Plain-JavaScript reference implementations (loops over number arrays), independent of tfjs,
 * to check the layers' tensor code against.
 */
import * as tf from '@tensorflow/tfjs';

export type Matrix = number[][];

export function matmul(a: Matrix, b: Matrix): Matrix {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

export function addRow(a: Matrix, bias: number[]): Matrix {
  return a.map((row) => row.map((v, j) => v + bias[j]!));
}

export function addMatrices(a: Matrix, b: Matrix): Matrix {
  return a.map((row, i) => row.map((v, j) => v + b[i]![j]!));
}

function columns(a: Matrix, from: number, to: number): Matrix {
  return a.map((row) => row.slice(from, to));
}

function softmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const e = row.map((v) => Math.exp(v - max));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

export interface ReferenceAttentionWeights {
  queryKernel: Matrix;
  queryBias: number[];
  keyKernel: Matrix;
  keyBias: number[];
  valueKernel: Matrix;
  valueBias: number[];
  outputKernel: Matrix;
  outputBias: number[];
}

/** Self-attention of one sequence x [seq][d]. */
export function referenceAttention(x: Matrix, w: ReferenceAttentionWeights, heads: number, keyDim: number, causal: boolean): Matrix {
  const q = addRow(matmul(x, w.queryKernel), w.queryBias);
  const k = addRow(matmul(x, w.keyKernel), w.keyBias);
  const v = addRow(matmul(x, w.valueKernel), w.valueBias);
  const merged: Matrix = x.map(() => []);
  for (let h = 0; h < heads; h++) {
    const qh = columns(q, h * keyDim, (h + 1) * keyDim);
    const kh = columns(k, h * keyDim, (h + 1) * keyDim);
    const vh = columns(v, h * keyDim, (h + 1) * keyDim);
    qh.forEach((qi, i) => {
      const scores = kh.map((kj, j) =>
        causal && j > i ? -Infinity : qi.reduce((s, val, c) => s + val * kj[c]!, 0) / Math.sqrt(keyDim),
      );
      const p = softmaxRow(scores);
      const context = vh[0]!.map((_, c) => p.reduce((s, pj, j) => s + pj * vh[j]![c]!, 0));
      merged[i]!.push(...context);
    });
  }
  return addRow(matmul(merged, w.outputKernel), w.outputBias);
}

export function referenceLayerNorm(x: Matrix, gamma: number[], beta: number[], epsilon: number): Matrix {
  return x.map((row) => {
    const mean = row.reduce((s, v) => s + v, 0) / row.length;
    const variance = row.reduce((s, v) => s + (v - mean) ** 2, 0) / row.length;
    return row.map((v, j) => ((v - mean) / Math.sqrt(variance + epsilon)) * gamma[j]! + beta[j]!);
  });
}

/** A layer's weight whose name ends with `/${suffix}`, as nested arrays. */
export function weightOf(layer: tf.layers.Layer, suffix: string): number[] & Matrix {
  const weight = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  if (weight === undefined) throw new Error(`no weight ${suffix} in ${layer.weights.map((w) => w.originalName).join(', ')}`);
  return weight.read().arraySync() as number[] & Matrix;
}

export function attentionWeightsOf(layer: tf.layers.Layer, prefix = ''): ReferenceAttentionWeights {
  return {
    queryKernel: weightOf(layer, `${prefix}query_kernel`),
    queryBias: weightOf(layer, `${prefix}query_bias`),
    keyKernel: weightOf(layer, `${prefix}key_kernel`),
    keyBias: weightOf(layer, `${prefix}key_bias`),
    valueKernel: weightOf(layer, `${prefix}value_kernel`),
    valueBias: weightOf(layer, `${prefix}value_bias`),
    outputKernel: weightOf(layer, `${prefix}output_kernel`),
    outputBias: weightOf(layer, `${prefix}output_bias`),
  };
}

/** Gives every weight of a layer random values (so zero biases and unit gammas are exercised too). */
export function randomiseWeights(layer: tf.layers.Layer, seed: number): void {
  layer.setWeights(layer.weights.map((w, i) => tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed + i)));
}

export function expectClose(actual: Matrix[], expected: Matrix[], tolerance: number): void {
  let worst = 0;
  actual.forEach((m, b) => m.forEach((row, i) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - expected[b]![i]![j]!))))));
  if (!(worst <= tolerance)) throw new Error(`largest difference ${worst} exceeds ${tolerance}`);
}
