/**
 * The wasm backend addresses at most 4 GiB: a run estimated above it is refused before training
 * with the figure and a way out (memory-estimate.ts), instead of "memory access out of bounds"
 * after a while. The estimate's parts are checked on a model small enough to count by hand.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { estimateTrainingMemory, wasmMemoryProblem } from '../../src/runtime/memory-estimate.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-memory-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('estimateTrainingMemory', () => {
  it('counts data, parameters with optimizer state, and one batch of activations', () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [10], units: 20 }), tf.layers.dense({ units: 5 })] });
    const x = tf.zeros([100, 10]);
    const y = tf.zeros([100, 5]);
    const estimate = estimateTrainingMemory({ model, optimizer: 'adam', batch: 8, evaluationRows: 100, dataTensors: [x, y], keepsBest: false });
    expect(estimate.data).toBe((1000 + 500) * 4);
    // 325 parameters x 4 bytes x (weights, gradients, transient, 2 x 2 adam slots).
    expect(estimate.parameters).toBe(325 * 4 * 7);
    // 25 values per sample (20 + 5): max(8 x 25 x 4 x 3, 100 x 25 x 4).
    expect(estimate.activations).toBe(Math.max(8 * 25 * 4 * 3, 100 * 25 * 4));
    expect(estimate.total).toBe(estimate.data + estimate.parameters + estimate.activations);
    expect(estimateTrainingMemory({ model, optimizer: 'sgd', batch: 8, evaluationRows: 100, dataTensors: [], keepsBest: true }).parameters).toBe(325 * 4 * 4);
    expect(wasmMemoryProblem(estimate, 8)).toBeNull();
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('mlspec run on wasm', () => {
  it('refuses a run whose activations cannot fit in 4 GiB, before training, with the figure', async () => {
    const spec = path.join(tmp, 'huge.mlspec');
    fs.writeFileSync(
      spec,
      'model {\n  input(shape: [64, 64, 1])\n  conv2d(64, kernel: 3, padding: same, activation: relu)\n  conv2d(64, kernel: 3, padding: same, activation: relu)\n  global_avg_pool2d()\n  dense(1)\n}\ndata {\n  source: random(samples: 1000, features: 4096)\n  reshape: [64, 64, 1]\n}\nloss: mse\noptimizer: adam(lr: 0.01)\ntrain { epochs: 1 batch: full }\n',
    );
    let stderr = '';
    const io: CliIO = { stdout: () => {}, stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
    const out = path.join(tmp, 'run');
    const code = await main(['run', spec, '--backend', 'wasm', '--out', out, '--quiet'], io);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^mlspec: error: This run needs about [\d.]+ GiB of backend memory \(data [\d.]+ MiB, parameters with gradients and optimizer state [\d.]+ MiB, activations of one batch [\d.]+ GiB\), more than the 4 GiB the wasm backend can address; use a smaller batch \(now 1000\), smaller layers, or --backend cpu or tensorflow, which are not limited to 4 GiB\.\n$/,
    );
    // Refused before anything was written (the lock is released).
    expect(fs.readdirSync(out)).toEqual([]);
  });
});
