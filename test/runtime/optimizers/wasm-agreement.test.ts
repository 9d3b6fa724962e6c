/** The optimizers give the same numbers on the wasm backend (mlspec's default) as on cpu. */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import type { Optimizer } from '../../../src/runtime/contracts.js';
import { createAdagrad } from '../../../src/runtime/optimizers/adagrad.js';
import { createAdam } from '../../../src/runtime/optimizers/adam.js';
import { createAdamW } from '../../../src/runtime/optimizers/adamw.js';
import { createGd } from '../../../src/runtime/optimizers/gd.js';
import { createMomentum } from '../../../src/runtime/optimizers/momentum.js';
import { createRmsprop } from '../../../src/runtime/optimizers/rmsprop.js';
import { createSgd } from '../../../src/runtime/optimizers/sgd.js';

const optimizers: [string, () => Optimizer][] = [
  ['gd', () => createGd({ weight_decay: 0.01 })],
  ['sgd', () => createSgd()],
  ['momentum average', () => createMomentum({ form: 'average' })],
  ['momentum classical', () => createMomentum({ form: 'classical', weight_decay: 0.01 })],
  ['momentum nesterov', () => createMomentum({ form: 'nesterov' })],
  ['adam', () => createAdam({ weight_decay: 0.01 })],
  ['adamw', () => createAdamW({ weight_decay: 0.1 })],
  ['rmsprop', () => createRmsprop()],
  ['rmsprop momentum', () => createRmsprop({ momentum: 0.9 })],
  ['adagrad', () => createAdagrad()],
];

/** Five steps on f(w) = sum(w^3/3 - w) over 12 weights (g = w^2 - 1); the final weights. */
async function finalWeights(backend: 'cpu' | 'wasm', make: () => Optimizer): Promise<number[]> {
  await tf.setBackend(backend);
  await tf.ready();
  const w = tf.tidy(() => tf.variable(tf.linspace(-1.5, 1.5, 12)));
  const optimizer = make();
  for (let i = 0; i < 5; i++) {
    const g = tf.tidy(() => w.square().sub(1));
    optimizer.apply([w], [g], 0.05);
    g.dispose();
  }
  const out = Array.from(w.dataSync());
  optimizer.dispose();
  w.dispose();
  return out;
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('optimizers on wasm and cpu', () => {
  it.each(optimizers)('%s agrees within 1e-6', async (_name, make) => {
    const cpu = await finalWeights('cpu', make);
    const wasm = await finalWeights('wasm', make);
    expect(tf.getBackend()).toBe('wasm');
    cpu.forEach((value, i) => expect(Math.abs(wasm[i]! - value)).toBeLessThan(1e-6));
    // The run moved the weights, so agreement is not trivial.
    expect(cpu[0]).not.toBeCloseTo(-1.5, 3);
  });
});
