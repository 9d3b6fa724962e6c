/**
 * Scale-out of the PyTorch target: `torchrun --nproc_per_node 2` (gloo, CPU) trains a mini-batch
 * spec with shuffling, batch norm and dropout to the same per-step losses as one process (the
 * spec's batch is the global batch; batch-norm statistics and dropout masks are those of the
 * global batch), a checkpoint of one process resumes with two, and the model it saves loads in
 * `mlspec evaluate` with the test accuracy it reported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitDataRows } from '../../src/runtime/data/split.js';
import { ROOT } from './emit-helpers.js';
import { buildSpec, compileTorch, maxRelativeDifference, PYTHON, stepRecords } from './pytorch-helpers.js';

const SPEC = `model {
  input(shape: [4])
  dense(8, activation: relu)
  batch_norm()
  dropout(0.2)
  dense(3, activation: softmax)
}
data {
  source: csv("points.csv", label: kind, categorical: true)
  normalize: zscore
  split { train: 0.7, validation: 0.1, test: 0.2 }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.03)
clip: global_norm(1.0)
train {
  epochs: 6
  batch: 9
  seed: 4
  metrics: [accuracy]
}
`;

const ROWS = 60;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-ddp-'));
const lines: string[] = [];
interface Finished {
  status: number | null;
  stderr: string;
}
let single: Finished;
let ddp: Finished;
let resumed: Finished[];

/** A TCP port free right now, for a torchrun rendezvous of its own (two torchruns at once must not share one). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a command to its end without blocking, so that independent runs overlap. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(PYTHON, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}
function summaryOf(run: string): { test: { accuracy: number; loss: number }; steps: number } {
  return JSON.parse(fs.readFileSync(path.join(work, run, 'summary.json'), 'utf8'));
}

beforeAll(async () => {
  // Points around three centres, a little noisy: separable enough to learn something in 6 epochs.
  const kinds = ['a', 'b', 'c'];
  lines.push('x1,x2,x3,x4,kind');
  for (let i = 0; i < ROWS; i++) {
    const k = i % 3;
    const v = (j: number) => (k * (j + 1) + Math.sin(i * 1.7 + j * 0.3) * 0.8).toFixed(4);
    lines.push(`${v(0)},${v(1)},${v(2)},${v(3)},${kinds[k]}`);
  }
  fs.writeFileSync(path.join(work, 'points.csv'), `${lines.join('\n')}\n`);
  const spec = buildSpec(work, 'points', SPEC);
  compileTorch(spec, path.join(work, 'program'));
  const env = { ...process.env, OMP_NUM_THREADS: '1' };
  const train = path.join(work, 'program', 'train.py');
  const torchrun = async () => [
    ...['-m', 'torch.distributed.run', '--nnodes', '1', '--nproc_per_node', '2', '--rdzv_backend', 'c10d', '--rdzv_endpoint', `127.0.0.1:${await freePort()}`],
    // --redirects 1 --tee 1: Debian's torch 1.13 under Python 3.11 cannot parse torchrun's default "0" (docs/pytorch.md).
    ...['--redirects', '1', '--tee', '1', train],
  ];
  // Half the epochs in one process, the rest resumed from its checkpoint with two.
  const switched = async () => [
    await run([train, '--out', path.join(work, 'switch'), '--epochs', '3', '--device', 'cpu', '--quiet'], env),
    await run([...(await torchrun()), '--resume', path.join(work, 'switch'), '--device', 'cpu', '--quiet'], env),
  ];
  [single, ddp, resumed] = await Promise.all([
    run([train, '--out', path.join(work, 'one'), '--device', 'cpu', '--quiet'], env),
    run([...(await torchrun()), '--out', path.join(work, 'two'), '--device', 'cpu', '--quiet'], env),
    switched(),
  ]);
}, 120_000);

describe('torchrun --nproc_per_node 2', () => {
  it('both runs finish', () => {
    expect(single.stderr).toBe('');
    expect(single.status).toBe(0);
    expect(ddp.status, String(ddp.stderr)).toBe(0);
  });

  it('computes the per-step losses of one process within 1e-6', () => {
    const one = stepRecords(path.join(work, 'one'));
    const two = stepRecords(path.join(work, 'two'));
    // 42 training rows in batches of 9: 5 steps an epoch, the last of 6 rows.
    expect(one).toHaveLength(30);
    expect(two.map((r) => r.step)).toEqual(one.map((r) => r.step));
    expect(maxRelativeDifference(two.map((r) => r.loss), one.map((r) => r.loss))).toBeLessThan(1e-6);
    expect(summaryOf('two').test.accuracy).toBe(summaryOf('one').test.accuracy);
  });

  it('resumes a one-process checkpoint with two processes and continues the same steps', () => {
    expect(resumed.map((r) => r.status), resumed.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const one = stepRecords(path.join(work, 'one'));
    const switched = stepRecords(path.join(work, 'switch'));
    expect(switched.map((r) => r.step)).toEqual(one.map((r) => r.step));
    expect(maxRelativeDifference(switched.map((r) => r.loss), one.map((r) => r.loss))).toBeLessThan(1e-6);
    expect(summaryOf('switch').steps).toBe(30);
  });

  it('saves a model that mlspec evaluate loads, with the test accuracy the run reported', () => {
    // The test split's rows, as the run drew them (the default split is shuffled with the seed).
    const rows = splitDataRows(ROWS, { train: 0.7, validation: 0.1, test: 0.2, stratify: false }, { shuffle: true, seed: 4, strata: null });
    const testFile = path.join(work, 'test.csv');
    fs.writeFileSync(testFile, `${[lines[0]!, ...rows.test.map((r) => lines[r + 1]!)].join('\n')}\n`);
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlspec.js'), 'evaluate', path.join(work, 'two'), '--data', testFile, '--backend', 'cpu', '--json'], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const evaluated = JSON.parse(result.stdout) as Record<string, unknown>;
    const flat = JSON.stringify(evaluated);
    const accuracy = Number(/"accuracy":([0-9.e-]+)/.exec(flat)?.[1]);
    const loss = Number(/"loss":([0-9.e-]+)/.exec(flat)?.[1]);
    const reported = summaryOf('two').test;
    // The model records the checksum of its weights, as mlspec's own models do.
    const modelJson = JSON.parse(fs.readFileSync(path.join(work, 'two', 'model', 'model.json'), 'utf8')) as { userDefinedMetadata: { mlspec: { weightsSha256: string } } };
    const weights = fs.readFileSync(path.join(work, 'two', 'model', 'weights.bin'));
    expect(modelJson.userDefinedMetadata.mlspec.weightsSha256).toBe(createHash('sha256').update(weights).digest('hex'));
    expect(accuracy).toBe(reported.accuracy);
    // It learned something (a third is chance), so equal accuracies mean the same predictions.
    expect(accuracy).toBeGreaterThan(0.8);
    expect(Math.abs(loss - reported.loss) / reported.loss).toBeLessThan(1e-5);
  });
});
