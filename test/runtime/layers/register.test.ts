import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerMlspecLayers } from '../../../src/runtime/layers/register.js';

describe('registerMlspecLayers', () => {
  it('registers the layers and the leaky_relu activation, and may be called twice', () => {
    const names = ['SeededDropout', 'MultiHeadSelfAttention', 'TransformerEncoder', 'PositionalEmbedding', 'leakyRelu'];
    const registered = () => tf.serialization.SerializationMap.getMap().classNameMap;
    registerMlspecLayers();
    registerMlspecLayers();
    for (const name of names) expect(registered()[name], name).toBeDefined();
  });

  it('makes leakyRelu usable as a tfjs activation identifier', () => {
    registerMlspecLayers();
    const layer = tf.layers.activation({ activation: 'leakyRelu' as 'relu' });
    expect([...(layer.apply(tf.tensor1d([-5, 0, 3])) as tf.Tensor).dataSync()]).toEqual([-1, 0, 3]);
  });
});
