/**
 * Interrupted training loses nothing. Real `mlspec run` processes are killed (SIGKILL) at
 * moments drawn from a seeded generator, after their first checkpoint, then resumed with
 * --resume; their final weights (model/weights.bin) and metrics.jsonl must equal an uninterrupted
 * run's bit for bit. metrics.jsonl is compared line by line with `time_s` removed: it is the wall
 * time of an epoch, the one value that is not a function of the spec and the seed.
 *
 * The spec has no checkpoint settings: the default (a checkpoint at the end of every epoch, and
 * every 60 s within one) is what makes the kills recoverable. A second spec checkpoints only by
 * time, so that its kills land inside an epoch.
 *
 * The spec exercises every part of the resumable state: shuffling (per epoch), dropout masks
 * (per step), Adam's slots, a reduce-on-plateau schedule, and early stopping with restore_best.
 * The tests after the reference run are independent and run concurrently (each is a few processes).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type ExpectStatic } from 'vitest';
import { createRng } from '../../src/runtime/rng.js';

const root = process.cwd();
const bin = path.join(root, 'bin', 'mlspec.js');
const EPOCHS = 60;

const SPEC = `model {
  input(shape: [4])
  dense(8, activation: relu)
  dropout(0.2)
  dense(1)
}

data {
  source: random(samples: 64, features: 4)
  split { train: 0.75, validation: 0.25 }
}

loss: mse
optimizer: adam(lr: 0.01)
schedule: plateau(monitor: val_loss, patience: 2, factor: 0.5)

train {
  epochs: ${EPOCHS}
  batch: 8
  seed: 3
  metrics: [mae]
  stop: early(monitor: val_loss, patience: 1000, restore_best: true)
}
`;

/** One long epoch checkpointed only by time, every 20 ms: a kill lands inside the epoch. */
const LONG_EPOCH_SPEC = `model {
  input(shape: [4])
  dense(8, activation: relu)
  dropout(0.2)
  dense(1)
}

data {
  source: random(samples: 1600, features: 4)
  split { train: 0.75, validation: 0.25 }
}

loss: mse
optimizer: adam(lr: 0.01)

train {
  epochs: 2
  batch: 4
  seed: 5
  checkpoint_every: 0
  checkpoint_seconds: 0.02
}
`;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

interface Running {
  child: ReturnType<typeof spawn>;
  exit: Promise<Exit>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [bin, 'run', ...args, '--backend', 'cpu', '-q'], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, exit };
}

const run = (args: string[]): Promise<Exit> => start(args).exit;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Number of finished epochs logged in a run folder (metrics.jsonl is appended at each epoch's end). */
function epochsLogged(dir: string): number {
  try {
    return fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.startsWith('{"type":"epoch"')).length;
  } catch {
    return 0;
  }
}

/** Waits until the run has a checkpoint and at least `epochs` logged epochs, then `extraMs` more; false if it exited first. */
async function waitForProgress(dir: string, running: Running, epochs: number, extraMs: number): Promise<boolean> {
  let exited = false;
  void running.exit.then(() => (exited = true));
  while (!exited) {
    if (fs.existsSync(path.join(dir, 'checkpoint.bin')) && epochsLogged(dir) >= epochs) {
      await sleep(extraMs);
      return !exited;
    }
    await sleep(5);
  }
  return false;
}

/** metrics.jsonl without the wall-clock field, one string per line. */
function metricsWithoutTimes(dir: string): string[] {
  return fs
    .readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((line) => {
      const { time_s: _time, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return JSON.stringify(rest);
    });
}

function expectSameResult(expect: ExpectStatic, dir: string, reference: string): void {
  const weights = fs.readFileSync(path.join(dir, 'model', 'weights.bin'));
  const expected = fs.readFileSync(path.join(reference, 'model', 'weights.bin'));
  expect(weights.length).toBe(expected.length);
  expect(weights.equals(expected), `model/weights.bin of ${dir} differs from the uninterrupted run`).toBe(true);
  expect(metricsWithoutTimes(dir)).toEqual(metricsWithoutTimes(reference));
}

let work: string;
let spec: string;
let reference: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-resume-'));
  spec = path.join(work, 'resume.mlspec');
  fs.writeFileSync(spec, SPEC);
  reference = path.join(work, 'reference');
  const result = await run([spec, '--out', reference]);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  // 64 samples, 3/4 for training: 48 in batches of 8 is 6 steps per epoch.
  const lines = metricsWithoutTimes(reference);
  expect(lines.filter((l) => l.startsWith('{"type":"epoch"'))).toHaveLength(EPOCHS);
  expect(lines.filter((l) => l.startsWith('{"type":"step"'))).toHaveLength(EPOCHS * 6);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe.concurrent('a run killed with SIGKILL and resumed', () => {
  // Kill moments: after a random number of epochs (at least one checkpoint), plus a random delay into the next.
  const rng = createRng(20240601);
  const trials = [0, 1, 2].map((i) => ({ i, epochs: 1 + rng.int(EPOCHS - 20), extraMs: rng.int(40) }));

  it.for(trials)('ends exactly like the uninterrupted run (trial $i)', async ({ i, epochs, extraMs }, { expect }) => {
    const dir = path.join(work, `killed-${i}`);
    const running = start([spec, '--out', dir]);
    const interrupted = await waitForProgress(dir, running, epochs, extraMs);
    expect(interrupted, `the run finished before it could be killed after ${epochs} epochs`).toBe(true);
    running.child.kill('SIGKILL');
    expect((await running.exit).signal).toBe('SIGKILL');
    expect(fs.existsSync(path.join(dir, 'model', 'weights.bin'))).toBe(false);
    // Killed during training, not after its final checkpoint.
    expect(epochsLogged(dir)).toBeLessThan(EPOCHS);

    const resumed = await run([spec, '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameResult(expect, dir, reference);
  });
});

describe.concurrent('a run checkpointed by time within a long epoch, killed and resumed', () => {
  it('resumes inside the epoch and ends exactly like the uninterrupted run', async ({ expect }) => {
    const longSpec = path.join(work, 'long.mlspec');
    fs.writeFileSync(longSpec, LONG_EPOCH_SPEC);
    const longReference = path.join(work, 'long-reference');
    const uninterrupted = await run([longSpec, '--out', longReference]);
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(longReference, 'summary.json'), 'utf8')) as { checkpoints: { count: number } };
    expect(summary.checkpoints.count).toBeGreaterThan(1);

    const dir = path.join(work, 'long-killed');
    const running = start([longSpec, '--out', dir]);
    // The first checkpoint, then a little more: no epoch has ended yet.
    expect(await waitForProgress(dir, running, 0, 30)).toBe(true);
    running.child.kill('SIGKILL');
    expect((await running.exit).signal).toBe('SIGKILL');
    const header = fs.readFileSync(path.join(dir, 'checkpoint.bin')).subarray(0, 4096).toString('latin1');
    expect(header).toMatch(/"position":\{"epoch":0,"batch":[1-9]/);

    const resumed = await run([longSpec, '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameResult(expect, dir, longReference);
  });
});

describe.concurrent('a run stopped with Ctrl-C (SIGINT)', () => {
  it('writes a checkpoint, exits with 130, and resumes to the same result', async ({ expect }) => {
    const dir = path.join(work, 'sigint');
    const running = start([spec, '--out', dir]);
    expect(await waitForProgress(dir, running, 3, 7)).toBe(true);
    const checkpointBefore = fs.statSync(path.join(dir, 'checkpoint.bin')).mtimeMs;
    running.child.kill('SIGINT');
    const exit = await running.exit;
    expect(exit.code, exit.stderr).toBe(130);
    // A note on its own line, not an error.
    expect(exit.stderr).toMatch(/^mlspec: Interrupted at epoch \d+, step \d+; a checkpoint was saved\. Continue with --resume /m);
    expect(exit.stderr).not.toMatch(/error/);
    expect(fs.statSync(path.join(dir, 'checkpoint.bin')).mtimeMs).toBeGreaterThanOrEqual(checkpointBefore);
    expect(epochsLogged(dir)).toBeLessThan(EPOCHS);

    const resumed = await run([spec, '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameResult(expect, dir, reference);
  });
});

describe.concurrent('what may change on resume', () => {
  it('epochs: a finished 45-epoch run resumed with --epochs 60 ends like a 60-epoch run', async ({ expect }) => {
    const dir = path.join(work, 'extended');
    const first = await run([spec, '--out', dir, '--epochs', '45']);
    expect(first.code, first.stderr).toBe(0);
    expect(epochsLogged(dir)).toBe(45);
    const resumed = await run([spec, '--resume', dir, '--epochs', String(EPOCHS)]);
    expect(resumed.code, resumed.stderr).toBe(0);
    expectSameResult(expect, dir, reference);
  });

  it('the model and the optimizer may not: resuming with a changed copy of spec.mlspec is refused, naming both, and changes nothing', async ({ expect }) => {
    const dir = path.join(work, 'changed');
    fs.cpSync(reference, dir, { recursive: true });
    const saved = fs.readFileSync(path.join(dir, 'spec.mlspec'), 'utf8');
    expect(saved).toBe(SPEC);
    const changed = path.join(work, 'changed.mlspec');
    fs.writeFileSync(changed, saved.replace('dense(8, activation: relu)', 'dense(9, activation: relu)').replace('adam(lr: 0.01)', 'adam(lr: 0.02)').replace(`epochs: ${EPOCHS}`, 'epochs: 70'));
    const before = fs.readdirSync(dir, { recursive: true }).map((f) => `${f}:${fs.statSync(path.join(dir, String(f))).mtimeMs}`).sort();

    const result = await run([changed, '--resume', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Cannot resume .*: the model and optimizer changed since its checkpoint/);
    expect(result.stderr).not.toMatch(/\b(loss|data|schedule|batch|clip)\b[^.]*changed since/);
    const after = fs.readdirSync(dir, { recursive: true }).map((f) => `${f}:${fs.statSync(path.join(dir, String(f))).mtimeMs}`).sort();
    expect(after).toEqual(before);
  });

  it('the seed may not either', async ({ expect }) => {
    const dir = path.join(work, 'reseeded');
    fs.cpSync(reference, dir, { recursive: true });
    const result = await run([spec, '--resume', dir, '--seed', '4']);
    expect(result.code).toBe(1);
    // Generated data follows the seed, so its contents changed too.
    expect(result.stderr).toMatch(/the seed and data contents changed since its checkpoint/);
  });

  it('the stop rule: a different rule starts afresh instead of reading the old rule\'s state', async ({ expect }) => {
    const dir = path.join(work, 'restopped');
    const converged = path.join(work, 'converged.mlspec');
    const early = path.join(work, 'early.mlspec');
    const stopLine = 'stop: early(monitor: val_loss, patience: 1000, restore_best: true)';
    fs.writeFileSync(converged, SPEC.replace(stopLine, 'stop: converged(monitor: loss, tolerance: 0.000000000001, patience: 1000)'));
    fs.writeFileSync(early, SPEC.replace(stopLine, 'stop: early(monitor: val_loss, patience: 0)'));
    const first = await run([converged, '--out', dir, '--epochs', '5']);
    expect(first.code, first.stderr).toBe(0);
    const resumed = await run([early, '--resume', dir]);
    expect(resumed.code, resumed.stderr).toBe(0);

    // The stop rule does not change training, so the reference run's val_loss is this run's. A fresh
    // early(patience: 0) takes epoch 6's value as its best and stops at the first epoch after it
    // that does not improve on the best so far.
    const valLoss = metricsWithoutTimes(reference)
      .map((l) => JSON.parse(l) as { type: string; val_loss: number })
      .filter((m) => m.type === 'epoch')
      .map((m) => m.val_loss);
    let best = valLoss[5]!;
    let stopAt = 6;
    while (stopAt < EPOCHS && valLoss[stopAt]! < best) best = valLoss[stopAt++]!;
    expect(stopAt).toBeLessThan(EPOCHS - 1);
    expect(epochsLogged(dir)).toBe(stopAt + 1);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8'))).toMatchObject({ stopped_early: true, epochs_run: stopAt + 1 });
  });
});
