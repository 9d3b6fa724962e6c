/**
 * mlspec option values -> tfjs-layers arguments: activation identifiers and seeded initializers.
 */
import * as tf from '@tensorflow/tfjs';
import { MlspecLeakyReluActivation } from './leaky-relu-activation.js';

export type MlspecTfInitializer = ReturnType<typeof tf.initializers.ones>;

/** tfjs-layers' activation identifier type (not exported by name from @tensorflow/tfjs). */
export type MlspecTfActivation = NonNullable<Parameters<typeof tf.layers.activation>[0]>['activation'];

/**
 * tfjs-layers 4.22 knows every mlspec activation by the same name ('gelu' is the exact erf form,
 * 'swish' is x * sigmoid(x)) except leaky_relu, registered here on first use as 'leakyRelu'.
 */
export function mlspecActivationId(name: string): MlspecTfActivation {
  if (name !== 'leaky_relu') return name as MlspecTfActivation;
  tf.serialization.registerClass(MlspecLeakyReluActivation);
  return 'leakyRelu' as MlspecTfActivation;
}

/**
 * A tfjs initializer for an mlspec initializer name; random ones draw from `seed`, so the same
 * seed gives identical weights. random_normal and random_uniform use the Keras defaults
 * (stddev 0.05; range [-0.05, 0.05]).
 */
export function mlspecInitializer(name: string, seed: number): MlspecTfInitializer {
  switch (name) {
    case 'glorot_uniform':
      return tf.initializers.glorotUniform({ seed });
    case 'glorot_normal':
      return tf.initializers.glorotNormal({ seed });
    case 'he_uniform':
      return tf.initializers.heUniform({ seed });
    case 'he_normal':
      return tf.initializers.heNormal({ seed });
    case 'lecun_uniform':
      return tf.initializers.leCunUniform({ seed });
    case 'lecun_normal':
      return tf.initializers.leCunNormal({ seed });
    case 'zeros':
      return tf.initializers.zeros();
    case 'ones':
      return tf.initializers.ones();
    case 'random_normal':
      return tf.initializers.randomNormal({ mean: 0, stddev: 0.05, seed });
    case 'random_uniform':
      return tf.initializers.randomUniform({ minval: -0.05, maxval: 0.05, seed });
    case 'orthogonal':
      return tf.initializers.orthogonal({ gain: 1, seed });
    default:
      throw new Error(`unknown initializer '${name}'`);
  }
}
