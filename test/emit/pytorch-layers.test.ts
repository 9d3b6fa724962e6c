/**
 * Parity of the PyTorch target's layers with `mlspec run --backend cpu`, on mini-batches with
 * shuffling (so the batch order must agree too): conv1d/conv2d with both paddings, pooling, batch
 * norm, dropout, flatten, LSTM, GRU, simple RNN over embeddings, and a graph with merges and layer
 * norm, and the transformer block, attention and positional embedding with dropout. Both sides start from the same tfjs weights (--init-from); the tolerance of each model is
 * the one measured here (docs/pytorch.md), about ten times the largest difference seen.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

interface LayerVariant {
  name: string;
  model: string[];
  source: string;
  reshape?: string;
  loss: string;
  tolerance: number;
}

const VARIANTS: LayerVariant[] = [
  {
    name: 'conv2d',
    model: [
      'input(shape: [4, 4, 1])',
      'conv2d(4, kernel: 3, padding: same, activation: relu)',
      'batch_norm()',
      'max_pool2d(2, padding: same)',
      'conv2d(3, kernel: 2, padding: valid, activation: tanh)',
      'flatten',
      'dropout(0.3)',
      'dense(3, activation: softmax)',
    ],
    source: 'random(samples: 30, features: 16, classes: 3)',
    reshape: '[4, 4, 1]',
    loss: 'sparse_categorical_cross_entropy',
    tolerance: 1e-5,
  },
  {
    name: 'conv2d-strided-avg-pool',
    model: ['input(shape: [5, 5, 1])', 'conv2d(3, kernel: 2, stride: 2, padding: same, activation: relu)', 'avg_pool2d(2, padding: same)', 'global_avg_pool2d', 'dense(1)'],
    source: 'random(samples: 30, features: 25, targets: 1)',
    reshape: '[5, 5, 1]',
    loss: 'mae',
    tolerance: 1e-5,
  },
  {
    name: 'conv1d-pools',
    model: ['input(shape: [8, 2])', 'conv1d(3, 3, padding: same, activation: relu)', 'avg_pool1d(3, stride: 2, padding: same)', 'conv1d(2, 2, stride: 2)', 'global_max_pool1d', 'dense(1)'],
    source: 'random(samples: 30, features: 16, targets: 1)',
    reshape: '[8, 2]',
    loss: 'mse',
    tolerance: 1e-5,
  },
  {
    name: 'lstm',
    model: ['input(shape: [6, 1])', 'lstm(4, return_sequences: true)', 'lstm(3)', 'dense(1)'],
    source: 'sine(samples: 40, window: 6, period: 9, noise: 0.1)',
    loss: 'mse',
    tolerance: 1e-5,
  },
  {
    name: 'gru',
    model: ['input(shape: [6, 1])', 'gru(5)', 'dense(1)'],
    source: 'sine(samples: 40, window: 6, period: 9, noise: 0.1)',
    loss: 'huber',
    tolerance: 1e-5,
  },
  {
    name: 'embedding-simple-rnn',
    model: ['input(shape: [5], dtype: int32)', 'embedding(vocab: 4, dim: 3)', 'simple_rnn(4, return_sequences: true)', 'dense(4)'],
    source: 'sequence(task: reverse, samples: 30, length: 5, vocab: 4)',
    loss: 'sparse_categorical_cross_entropy(from_logits: true)',
    tolerance: 1e-5,
  },
  {
    name: 'transformer',
    model: [
      'input(shape: [5], dtype: int32)',
      'embedding(vocab: 4, dim: 8)',
      'positional_embedding(max_length: 6)',
      'transformer(heads: 2, key_dim: 4, ff: 8, dropout: 0.1)',
      'attention(heads: 2, key_dim: 3, dropout: 0.2, causal: true)',
      'transformer(heads: 1, key_dim: 4, ff: 6, causal: true)',
      'dense(4)',
    ],
    source: 'sequence(task: reverse, samples: 30, length: 5, vocab: 4)',
    loss: 'sparse_categorical_cross_entropy(from_logits: true)',
    tolerance: 1e-5,
  },
  {
    name: 'graph-merges-layer-norm',
    model: [
      'x = input(shape: [4])',
      'h = dense(6, activation: gelu) <- x',
      'r = dense(6, activation: swish) <- h',
      's = add <- h, r',
      'm = multiply <- h, s',
      'c = concat <- s, m',
      'n = layer_norm <- c',
      'e = activation(elu) <- n',
      'out = dense(3, activation: softmax) <- e',
    ],
    source: 'random(samples: 30, features: 4, classes: 3)',
    loss: 'sparse_categorical_cross_entropy',
    tolerance: 1e-5,
  },
];

function specOf(v: LayerVariant): string {
  return [
    'model {',
    ...v.model.map((line) => `  ${line}`),
    '}',
    'data {',
    `  source: ${v.source}`,
    v.reshape ? `  reshape: ${v.reshape}` : '',
    '  split { train: 0.8, validation: 0.2 }',
    '}',
    `loss: ${v.loss}`,
    'optimizer: adam(lr: 0.01)',
    'train {',
    '  epochs: 3',
    '  batch: 8',
    '  seed: 5',
    '}',
    '',
  ].join('\n');
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-layers-'));
let results: (number | string)[] = [];
const measured: string[] = [];

beforeAll(async () => {
  const jobs: { dir: string; args: string[] }[] = [];
  for (const v of VARIANTS) {
    const dir = path.join(work, v.name);
    const spec = buildSpec(dir, v.name, specOf(v));
    const init = await runTfjs(spec, path.join(dir, 'init'), { epochs: 0 });
    await runTfjs(spec, path.join(dir, 'tfjs'), { initFrom: init });
    compileTorch(spec, path.join(dir, 'program'));
    jobs.push({ dir: path.join(dir, 'program'), args: ['--out', path.join(dir, 'torch'), '--init-from', init, '--device', 'cpu', '--quiet', '--force'] });
    // Without --init-from: the program's own draw of the initial weights.
    jobs.push({ dir: path.join(dir, 'program'), args: ['--out', path.join(dir, 'torch-init'), '--epochs', '0', '--device', 'cpu', '--quiet', '--force'] });
  }
  results = runTorchPrograms(work, jobs);
}, 120_000);

afterAll(() => {
  if (process.env.MLSPEC_SHOW_PARITY) console.log(`largest relative step-loss difference: ${measured.join(', ')}`);
});

describe('the PyTorch target layers agree with mlspec run on shuffled mini-batches', () => {
  it('every program ran', () => {
    expect(results).toEqual(new Array(VARIANTS.length * 2).fill(0));
  });

  for (const v of VARIANTS) {
    it(`${v.name}: every step within ${v.tolerance} relative, and the same initial weights`, () => {
      const dir = path.join(work, v.name);
      const tfjs = stepRecords(path.join(dir, 'tfjs'));
      const torch = stepRecords(path.join(dir, 'torch'));
      // 24 (sine: 32) training rows in batches of 8, 3 epochs.
      expect(tfjs.length).toBeGreaterThanOrEqual(9);
      expect(torch.map((r) => r.step)).toEqual(tfjs.map((r) => r.step));
      const worst = maxRelativeDifference(torch.map((r) => r.loss), tfjs.map((r) => r.loss));
      measured.push(`${v.name} ${worst.toExponential(1)}`);
      expect(worst, `${v.name}: largest relative difference ${worst}`).toBeLessThan(v.tolerance);
      // Generated data: split.json as mlspec run writes it.
      expect(fs.readFileSync(path.join(dir, 'torch', 'split.json'), 'utf8')).toBe(fs.readFileSync(path.join(dir, 'tfjs', 'split.json'), 'utf8'));
      const tfjsInit = fs.readFileSync(path.join(dir, 'init', 'model', 'weights.bin'));
      expect(fs.readFileSync(path.join(dir, 'torch-init', 'model', 'weights.bin')).equals(tfjsInit)).toBe(true);
    });
  }
});
