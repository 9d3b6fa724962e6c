/**
 * tfjs-layers has no leaky_relu activation identifier (only a LeakyReLU layer), so mlspec
 * registers one: layers look activations up by class name in the serialization map, so after
 * registration `activation: 'leakyRelu'` works in dense, conv, recurrent and activation layers.
 * The class name is camelCase because tfjs writes string values to model.json in snake_case
 * ('leaky_relu') and camel-cases them again when loading.
 */
import * as tf from '@tensorflow/tfjs';

/** Negative slope, as in tf.nn.leaky_relu and keras.activations.leaky_relu. */
export const MLSPEC_LEAKY_RELU_ALPHA = 0.2;

export class MlspecLeakyReluActivation extends tf.serialization.Serializable {
  static className = 'leakyRelu';

  apply(x: tf.Tensor): tf.Tensor {
    return tf.leakyRelu(x, MLSPEC_LEAKY_RELU_ALPHA);
  }

  getConfig(): tf.serialization.ConfigDict {
    return {};
  }
}
