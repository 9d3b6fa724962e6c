/**
 * Checkpoints across targets: a run of `mlspec run` continued by the PyTorch program (--resume), and
 * a run of the PyTorch program continued by `mlspec run --resume`, compute the steps of one
 * uninterrupted run: weights, optimizer slots, schedule (reduce-on-plateau) and stop-rule state
 * (early stopping with restore-best) pass through mlspec's checkpoint.bin.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

const SPEC = `model {
  input(shape: [3])
  dense(6, activation: tanh)
  dense(3, activation: softmax)
}
data {
  source: random(samples: 40, features: 3, classes: 3)
  split { train: 0.7, validation: 0.3 }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.02)
schedule: plateau(monitor: val_loss, factor: 0.5, patience: 1)
train {
  epochs: 8
  batch: 7
  seed: 9
  metrics: [accuracy]
  stop: early(monitor: val_accuracy, patience: 20, restore_best: true)
}
`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-resume-'));
const summary = (run: string) => JSON.parse(fs.readFileSync(path.join(work, run, 'summary.json'), 'utf8')) as { steps: number; restored_best_epoch: number | null; test: null; validation: { loss: number } };
let results: (number | string)[] = [];

beforeAll(async () => {
  const spec = buildSpec(work, 'resume', SPEC);
  const program = compileTorch(spec, path.join(work, 'program'));
  await runTfjs(spec, path.join(work, 'whole'));
  // tfjs for 3 epochs, then PyTorch for the other 5.
  await runTfjs(spec, path.join(work, 'tfjs-then-torch'), { epochs: 3 });
  // PyTorch for 3 epochs, then tfjs for the other 5.
  results = runTorchPrograms(work, [
    { dir: program, args: ['--resume', path.join(work, 'tfjs-then-torch'), '--device', 'cpu', '--quiet'] },
    { dir: program, args: ['--out', path.join(work, 'torch-then-tfjs'), '--epochs', '3', '--device', 'cpu', '--quiet'] },
  ]);
  await runTfjs(spec, path.join(work, 'torch-then-tfjs'), { resume: true });
}, 120_000);

describe('--resume across targets', () => {
  it('both programs ran', () => {
    expect(results).toEqual([0, 0]);
  });

  for (const run of ['tfjs-then-torch', 'torch-then-tfjs']) {
    it(`${run}: the same steps as one uninterrupted run`, () => {
      const whole = stepRecords(path.join(work, 'whole'));
      const resumed = stepRecords(path.join(work, run));
      // 28 training rows in batches of 7: 4 steps an epoch, 8 epochs.
      expect(whole).toHaveLength(32);
      expect(resumed.map((r) => [r.step, r.lr])).toEqual(whole.map((r) => [r.step, r.lr]));
      expect(maxRelativeDifference(resumed.map((r) => r.loss), whole.map((r) => r.loss))).toBeLessThan(1e-5);
      expect(summary(run).steps).toBe(32);
      expect(summary(run).restored_best_epoch).toBe(summary('whole').restored_best_epoch);
      expect(Math.abs(summary(run).validation.loss - summary('whole').validation.loss) / summary('whole').validation.loss).toBeLessThan(1e-5);
    });
  }

  it('the plateau schedule lowered the rate along the way (its state crossed over)', () => {
    const lrs = new Set(stepRecords(path.join(work, 'whole')).map((r) => r.lr));
    expect(lrs.size).toBeGreaterThan(1);
  });
});
