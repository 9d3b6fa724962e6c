/**
 * Parity of the PyTorch target with `mlspec run --backend cpu`: from the same initial weights (a
 * tfjs model saved before the first step, loaded by both with --init-from), every optimizer, clip,
 * schedule and loss gives the same loss at each of 20 full-batch steps within 1e-5 relative. All
 * PyTorch programs run in one Python process; the tfjs runs in this one.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, epochRecords, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords, type BuiltSpec } from './pytorch-helpers.js';

interface Variant {
  name: string;
  optimizer?: string;
  clip?: string;
  schedule?: string;
  loss?: string;
  /** The output layer and the data source, for the loss. */
  output?: string;
  source?: string;
  dataExtra?: string;
  hidden?: string;
}

const REGRESSION = 'random(samples: 32, features: 3, targets: 1)';
const THREE_CLASSES = 'random(samples: 32, features: 3, classes: 3)';
const TWO_CLASSES = 'random(samples: 32, features: 3, classes: 2)';

const VARIANTS: Variant[] = [
  { name: 'gd', optimizer: 'gd(lr: 0.1)' },
  { name: 'sgd', optimizer: 'sgd(lr: 0.1)' },
  { name: 'sgd-coupled-decay', optimizer: 'sgd(lr: 0.1, weight_decay: 0.05)' },
  { name: 'momentum-average', optimizer: 'momentum(lr: 0.1, beta: 0.9, form: average)' },
  { name: 'momentum-classical', optimizer: 'momentum(lr: 0.05, beta: 0.9, form: classical)' },
  { name: 'momentum-nesterov', optimizer: 'momentum(lr: 0.05, beta: 0.9, form: nesterov)' },
  { name: 'adam', optimizer: 'adam(lr: 0.01)' },
  { name: 'adamw', optimizer: 'adamw(lr: 0.01, weight_decay: 0.05)' },
  { name: 'rmsprop', optimizer: 'rmsprop(lr: 0.01)' },
  { name: 'rmsprop-centered', optimizer: 'rmsprop(lr: 0.01, centered: true)' },
  { name: 'rmsprop-momentum', optimizer: 'rmsprop(lr: 0.01, momentum: 0.5)' },
  { name: 'rmsprop-centered-momentum', optimizer: 'rmsprop(lr: 0.01, momentum: 0.5, centered: true)' },
  { name: 'adagrad', optimizer: 'adagrad(lr: 0.1)' },
  { name: 'clip-value', clip: 'value(0.02)' },
  { name: 'clip-norm', clip: 'norm(0.05)' },
  { name: 'clip-global-norm', clip: 'global_norm(0.05)' },
  { name: 'schedule-exponential', schedule: 'exponential(rate: 0.5, every: 5)' },
  { name: 'schedule-exponential-staircase', schedule: 'exponential(rate: 0.5, every: 5, staircase: true)' },
  { name: 'schedule-step', schedule: 'step(every: 5, factor: 0.5)' },
  { name: 'schedule-multistep', schedule: 'multistep(milestones: [3, 8], factor: 0.5)' },
  { name: 'schedule-piecewise', schedule: 'piecewise(boundaries: [5, 10], values: [0.2, 0.05, 0.01])' },
  { name: 'schedule-inverse-time', schedule: 'inverse_time(rate: 0.5, every: 5)' },
  { name: 'schedule-polynomial', schedule: 'polynomial(steps: 15, power: 2)' },
  { name: 'schedule-cosine', schedule: 'cosine(steps: 15, min: 0.01)' },
  { name: 'schedule-warmup', schedule: 'warmup(steps: 5, then: cosine(steps: 10))' },
  { name: 'schedule-plateau', schedule: 'plateau(monitor: val_loss, factor: 0.5, patience: 1, threshold: 10)' },
  { name: 'loss-mae', loss: 'mae' },
  { name: 'loss-huber', loss: 'huber(delta: 0.2)' },
  { name: 'loss-penalty', hidden: 'dense(5, activation: tanh, l1: 0.01, l2: 0.02)' },
  { name: 'loss-bce', loss: 'binary_cross_entropy', output: 'dense(1, activation: sigmoid)', source: TWO_CLASSES },
  { name: 'loss-bce-logits', loss: 'binary_cross_entropy(from_logits: true)', output: 'dense(1)', source: TWO_CLASSES },
  { name: 'loss-cce', loss: 'categorical_cross_entropy', output: 'dense(3, activation: softmax)', source: THREE_CLASSES },
  { name: 'loss-cce-logits', loss: 'categorical_cross_entropy(from_logits: true)', output: 'dense(3)', source: THREE_CLASSES },
  { name: 'loss-sparse', loss: 'sparse_categorical_cross_entropy', output: 'dense(3, activation: softmax)', source: THREE_CLASSES },
  { name: 'loss-sparse-logits', loss: 'sparse_categorical_cross_entropy(from_logits: true)', output: 'dense(3)', source: THREE_CLASSES },
];

function specOf(v: Variant): string {
  return [
    'model {',
    '  input(shape: [3])',
    `  ${v.hidden ?? 'dense(5, activation: tanh)'}`,
    `  ${v.output ?? 'dense(1)'}`,
    '}',
    'data {',
    `  source: ${v.source ?? REGRESSION}`,
    '  split { train: 0.75, validation: 0.25 }',
    v.dataExtra ? `  ${v.dataExtra}` : '',
    '}',
    `loss: ${v.loss ?? 'mse'}`,
    `optimizer: ${v.optimizer ?? 'sgd(lr: 0.2)'}`,
    v.clip ? `clip: ${v.clip}` : '',
    v.schedule ? `schedule: ${v.schedule}` : '',
    'train {',
    '  epochs: 20',
    '  batch: full',
    '  seed: 7',
    '}',
    '',
  ].join('\n');
}

const STEPS = 20;
const TOLERANCE = 1e-5;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-parity-'));
const built = new Map<string, BuiltSpec>();
let results: (number | string)[] = [];
const measured: string[] = [];

beforeAll(async () => {
  const jobs: { dir: string; args: string[] }[] = [];
  for (const v of VARIANTS) {
    const dir = path.join(work, v.name);
    const spec = buildSpec(dir, v.name, specOf(v));
    built.set(v.name, spec);
    // The initial weights: a tfjs run of no epochs saves the model before any step.
    const init = await runTfjs(spec, path.join(dir, 'init'), { epochs: 0 });
    await runTfjs(spec, path.join(dir, 'tfjs'), { initFrom: init });
    compileTorch(spec, path.join(dir, 'program'));
    jobs.push({ dir: path.join(dir, 'program'), args: ['--out', path.join(dir, 'torch'), '--init-from', init, '--device', 'cpu', '--quiet', '--force'] });
  }
  // And one program from its own initial weights, to compare with tfjs's draw for the same seed.
  jobs.push({ dir: path.join(work, 'adam', 'program'), args: ['--out', path.join(work, 'adam', 'torch-init'), '--epochs', '0', '--device', 'cpu', '--quiet', '--force'] });
  results = runTorchPrograms(work, jobs);
}, 120_000);

afterAll(() => {
  if (process.env.MLSPEC_SHOW_PARITY) console.log(`largest relative step-loss difference: ${measured.join(', ')}`);
});

describe('the PyTorch target agrees with mlspec run step by step', () => {
  it('every program ran', () => {
    expect(results).toEqual(new Array(VARIANTS.length + 1).fill(0));
  });

  for (const v of VARIANTS) {
    it(`${v.name}: 20 full-batch steps within 1e-5 relative`, () => {
      const dir = path.join(work, v.name);
      const tfjs = stepRecords(path.join(dir, 'tfjs'));
      const torch = stepRecords(path.join(dir, 'torch'));
      expect(tfjs).toHaveLength(STEPS);
      expect(torch).toHaveLength(STEPS);
      expect(torch.map((r) => r.lr)).toEqual(tfjs.map((r) => r.lr));
      const worst = maxRelativeDifference(torch.map((r) => r.loss), tfjs.map((r) => r.loss));
      measured.push(`${v.name} ${worst.toExponential(1)}`);
      expect(worst, `${v.name}: largest relative difference ${worst}`).toBeLessThan(TOLERANCE);
      // The losses must change, or agreeing would prove nothing.
      expect(tfjs[STEPS - 1]!.loss).not.toBe(tfjs[0]!.loss);
      // Each epoch's record (loss, val_loss, lr) too, with the same keys in the same order.
      const tfjsEpochs = epochRecords(path.join(dir, 'tfjs'));
      const torchEpochs = epochRecords(path.join(dir, 'torch'));
      expect(torchEpochs.map((e) => Object.keys(e))).toEqual(tfjsEpochs.map((e) => Object.keys(e)));
      for (const key of ['loss', 'val_loss']) {
        expect(maxRelativeDifference(torchEpochs.map((e) => e[key]!), tfjsEpochs.map((e) => e[key]!)), key).toBeLessThan(TOLERANCE);
      }
    });
  }

  it('draws the same initial weights as tfjs for the same seed (no --init-from)', () => {
    const tfjsInit = fs.readFileSync(path.join(work, 'adam', 'init', 'model', 'weights.bin'));
    const torchInit = fs.readFileSync(path.join(work, 'adam', 'torch-init', 'model', 'weights.bin'));
    expect(torchInit.equals(tfjsInit)).toBe(true);
  });
});
