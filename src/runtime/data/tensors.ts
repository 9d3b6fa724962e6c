/** Rows of a table to tensors. */
import * as tf from '@tensorflow/tfjs';
import type { DataLabels } from './table.js';

/** How class labels become y (see DataPipelineConfig). */
export interface DataLabelLayout {
  one_hot: boolean;
  binary_labels: boolean;
}

/** x: [rows, ...sampleShape], float32, or int32 for token ids. */
export function dataFeatureTensor(
  features: readonly (readonly number[])[],
  rows: readonly number[],
  sampleShape: readonly number[],
  dtype: 'float32' | 'int32',
): tf.Tensor {
  const width = features.length > 0 ? features[0]!.length : 0;
  const flat = dtype === 'int32' ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
  rows.forEach((row, i) => flat.set(features[row]!, i * width));
  return tf.tensor(flat, [rows.length, ...sampleShape], dtype);
}

function dataOneHot(indices: readonly number[], count: number, shape: number[]): tf.Tensor {
  const flat = new Float32Array(indices.length * count);
  indices.forEach((index, i) => (flat[i * count + index] = 1));
  return tf.tensor(flat, shape, 'float32');
}

/**
 * y for the given rows. Real values: float32 [rows, targets]. Classes: int32 [rows] (sparse),
 * float32 [rows, classes] (one_hot) or float32 [rows, 1] (binary_labels). Tokens: int32
 * [rows, length], or float32 [rows, length, vocab] (one_hot).
 */
export function dataLabelTensor(labels: DataLabels, rows: readonly number[], layout: DataLabelLayout): tf.Tensor {
  if (labels.kind === 'values') {
    const width = labels.values.length > 0 ? labels.values[0]!.length : 1;
    const flat = new Float32Array(rows.length * width);
    rows.forEach((row, i) => flat.set(labels.values[row]!, i * width));
    return tf.tensor(flat, [rows.length, width], 'float32');
  }
  if (labels.kind === 'classes') {
    const indices = rows.map((row) => labels.indices[row]!);
    if (layout.one_hot) return dataOneHot(indices, labels.count, [rows.length, labels.count]);
    if (layout.binary_labels) return tf.tensor(Float32Array.from(indices), [rows.length, 1], 'float32');
    return tf.tensor(Int32Array.from(indices), [rows.length], 'int32');
  }
  const length = labels.indices.length > 0 ? labels.indices[0]!.length : 0;
  const indices = rows.flatMap((row) => labels.indices[row]!);
  if (layout.one_hot) return dataOneHot(indices, labels.count, [rows.length, length, labels.count]);
  return tf.tensor(Int32Array.from(indices), [rows.length, length], 'int32');
}
