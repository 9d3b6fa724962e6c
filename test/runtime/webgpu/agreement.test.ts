/**
 * Per-step agreement of webgpu (SwiftShader) with the cpu backend on a small dense model: 20
 * full-batch steps from the same initial weights for each optimizer family, each clipping rule
 * and the regression and classification losses, plus a run whose GPU memory is watched over
 * several epochs. The tolerance is the one docs/backends.md states.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvSample, EXAMPLES, maxRelativeDifference, trainOn } from './train-on.js';

const TOLERANCE = 1e-5;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-webgpu-agreement-'));
csvSample(path.join(EXAMPLES, 'data/iris.csv'), 2, path.join(tmp, 'data/iris.csv'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function denseSpec(optimizer: string, extra = '', loss = 'sparse_categorical_cross_entropy', units = '3, activation: softmax'): string {
  return `model {
  input(shape: [4])
  dense(8, activation: tanh)
  dense(${units})
}
data {
  source: csv("data/iris.csv", label: species, categorical: true)
  normalize: zscore
  split { train: 1, validation: 0, test: 0 }
}
loss: ${loss}
optimizer: ${optimizer}
${extra}
train {
  epochs: 20
  batch: full
  seed: 4
}
`;
}

/** A regression on generated data (4 features, 1 target). */
function regressionSpec(loss: string): string {
  return denseSpec('adam(lr: 0.05)', '', loss, '1')
    .replace(/source: csv\([^)]*\)/, 'source: random(samples: 60, features: 4, targets: 1)')
    .replace(', stratify: true', '');
}

const CASES: Record<string, string> = {
  gd: denseSpec('gd(lr: 0.5)'),
  sgd: denseSpec('sgd(lr: 0.3, weight_decay: 0.01)'),
  'momentum average': denseSpec('momentum(lr: 0.3, beta: 0.9)'),
  'momentum classical': denseSpec('momentum(lr: 0.1, beta: 0.9, form: classical)'),
  'momentum nesterov': denseSpec('momentum(lr: 0.1, beta: 0.9, form: nesterov)'),
  adam: denseSpec('adam(lr: 0.05)'),
  adamw: denseSpec('adamw(lr: 0.05)'),
  'rmsprop with momentum': denseSpec('rmsprop(lr: 0.01, momentum: 0.5)'),
  adagrad: denseSpec('adagrad(lr: 0.2)'),
  'clip value + exponential schedule': denseSpec('sgd(lr: 0.5)', 'clip: value(0.05)\nschedule: exponential(rate: 0.9, every: 5)'),
  'clip global_norm + cosine schedule': denseSpec('adam(lr: 0.05)', 'clip: global_norm(0.5)\nschedule: cosine(steps: 20)'),
  'clip norm, categorical from logits': denseSpec('sgd(lr: 0.5)', 'clip: norm(0.5)', 'sparse_categorical_cross_entropy(from_logits: true)', '3'),
  'mse regression': regressionSpec('mse'),
  'huber regression': regressionSpec('huber(delta: 0.5)'),
};

describe('webgpu agrees with cpu step by step (20 full-batch steps, dense model)', () => {
  for (const [name, source] of Object.entries(CASES)) {
    it(name, async () => {
      const cpu = await trainOn('cpu', source, tmp);
      const gpu = await trainOn('webgpu', source, tmp);
      try {
        expect(gpu.stepLosses).toHaveLength(20);
        const difference = maxRelativeDifference(gpu.stepLosses, cpu.stepLosses);
        console.log(`${name}: max relative loss difference ${difference.toExponential(2)}`);
        expect(difference).toBeLessThan(TOLERANCE);
        // The losses move: a test of equal constants would prove nothing.
        expect(cpu.stepLosses[19]).not.toBe(cpu.stepLosses[0]);
      } finally {
        cpu.cleanup();
        gpu.cleanup();
      }
    });
  }

  it('holds no more tensors or GPU memory after epoch 4 than after epoch 2', async () => {
    const gpu = await trainOn('webgpu', denseSpec('adam(lr: 0.05)').replace('batch: full', 'batch: 16'), tmp, { epochs: 4 });
    try {
      expect(gpu.tensorsAfterEpoch).toHaveLength(4);
      expect(new Set(gpu.tensorsAfterEpoch.slice(1)).size).toBe(1);
      expect(gpu.gpuBytesAfterEpoch[3]).toBe(gpu.gpuBytesAfterEpoch[1]);
    } finally {
      gpu.cleanup();
    }
  });
});
