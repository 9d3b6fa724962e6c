/**
 * Several model inputs over one x: the data pipeline lays the inputs' columns side by side
 * (data/column-types.ts), and each input node is this layer over that packed [batch, width]
 * tensor: columns [offset, offset + size) reshaped to the input's shape, cast to int32 for an
 * int32 input (ids in float32 are exact below 2^24). It has no weights, so the training loop,
 * batching, evaluate, predict and checkpoints see one x as for a single-input model.
 */
import * as tf from '@tensorflow/tfjs';
import type { MlspecCallKwargs } from './dropout.js';

export interface ColumnSliceArgs {
  offset: number;
  shape: number[];
  /** Not `dtype`: that is every tfjs layer's own (computation) dtype. */
  targetDtype: 'float32' | 'int32';
  name?: string;
}

export class MlspecColumnSlice extends tf.layers.Layer {
  static className = 'MlspecColumnSlice';
  readonly offset: number;
  readonly sampleShape: number[];
  readonly targetDtype: 'float32' | 'int32';

  constructor(args: ColumnSliceArgs) {
    super(args);
    this.offset = args.offset;
    this.sampleShape = [...args.shape];
    this.targetDtype = args.targetDtype;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0] ?? null, ...this.sampleShape];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: MlspecCallKwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    const size = this.sampleShape.reduce((a, b) => a * b, 1);
    return tf.tidy(() => {
      const columns = tf.slice(x, [0, this.offset], [x.shape[0]!, size]);
      const shaped = tf.reshape(columns, [x.shape[0]!, ...this.sampleShape]);
      return this.targetDtype === 'int32' ? tf.cast(shaped, 'int32') : shaped;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), offset: this.offset, shape: this.sampleShape, targetDtype: this.targetDtype };
  }
}

/** The name of the one tfjs input of a model with several inputs (mlspec names cannot hold `-`). */
export const PACKED_INPUT_NAME = 'packed-inputs';

/** Each input node's slice of the packed x: inputs in model order, each as wide as its shape's product. */
export function packedInputSlices(inputs: readonly { name: string; shape: number[]; dtype: 'float32' | 'int32' }[]): { name: string; offset: number; shape: number[]; dtype: 'float32' | 'int32' }[] {
  let offset = 0;
  return inputs.map((input) => {
    const slice = { ...input, offset };
    offset += input.shape.reduce((a, b) => a * b, 1);
    return slice;
  });
}
