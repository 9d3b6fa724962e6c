import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDropoutStep, SeededDropout, setDropoutStep } from '../../../src/runtime/layers/dropout.js';
import { deriveSeed } from '../../../src/runtime/rng.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const rate = 0.3;
const x = () => tf.randomUniform([16, 250], 1, 2, 'float32', 1); // no zeros, so a zero means dropped

function dropped(layer: SeededDropout, input: tf.Tensor, training: boolean): Float32Array {
  return (layer.apply(input, { training }) as tf.Tensor).dataSync() as Float32Array;
}

describe('SeededDropout', () => {
  it('is the identity at inference', () => {
    const layer = new SeededDropout({ name: 'drop', rate, seed: 1 });
    const input = x();
    expect(dropped(layer, input, false)).toEqual(input.dataSync());
    expect((layer.apply(input) as tf.Tensor).dataSync()).toEqual(input.dataSync());
  });

  it('zeroes about `rate` of the inputs and scales the rest by 1 / (1 - rate)', () => {
    const layer = new SeededDropout({ name: 'drop', rate, seed: 1 });
    const input = x();
    setDropoutStep(0);
    const out = dropped(layer, input, true);
    const values = input.dataSync();
    let zeros = 0;
    out.forEach((v, i) => {
      if (v === 0) zeros += 1;
      else expect(v).toBeCloseTo(values[i]! / (1 - rate), 5);
    });
    // 4000 Bernoulli(0.3) draws: standard deviation about 29, so +-200 is far outside chance.
    expect(zeros).toBeGreaterThan(1200 - 200);
    expect(zeros).toBeLessThan(1200 + 200);
  });

  it('draws the same mask for the same step and a different one for another step', () => {
    const layer = new SeededDropout({ name: 'drop', rate, seed: 1 });
    const input = x();
    setDropoutStep(17);
    expect(getDropoutStep()).toBe(17);
    const a = dropped(layer, input, true);
    const b = dropped(layer, input, true);
    setDropoutStep(18);
    const c = dropped(layer, input, true);
    setDropoutStep(17);
    const d = dropped(layer, input, true);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    expect(d).toEqual(a);
  });

  it('keeps where uniform(seed = deriveSeed(seed, "dropout", layer name, step)) >= rate', () => {
    const layer = new SeededDropout({ name: 'drop', rate, seed: 9 });
    const input = x();
    setDropoutStep(3);
    const out = dropped(layer, input, true);
    const uniform = tf.randomUniform(input.shape, 0, 1, 'float32', deriveSeed(9, 'dropout', 'drop', 3)).dataSync();
    out.forEach((v, i) => expect(v !== 0).toBe(uniform[i]! >= rate));
  });

  it('gives different layers (names) and different seeds different masks', () => {
    const input = x();
    setDropoutStep(2);
    const a = dropped(new SeededDropout({ name: 'first', rate, seed: 1 }), input, true);
    const b = dropped(new SeededDropout({ name: 'second', rate, seed: 1 }), input, true);
    const c = dropped(new SeededDropout({ name: 'first', rate, seed: 2 }), input, true);
    expect(b).not.toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rejects a rate outside [0, 1)', () => {
    expect(() => new SeededDropout({ rate: 1, seed: 1 })).toThrow(/rate/);
    expect(() => new SeededDropout({ rate: -0.1, seed: 1 })).toThrow(/rate/);
  });

  it('serialises rate and seed', () => {
    const layer = new SeededDropout({ name: 'drop', rate, seed: 5 });
    const config = layer.getConfig();
    expect(config).toMatchObject({ name: 'drop', rate, seed: 5 });
    expect((SeededDropout.fromConfig(SeededDropout, config) as SeededDropout).getConfig()).toEqual(config);
  });
});
