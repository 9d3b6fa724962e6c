/**
 * A full disk loses nothing: a run whose checkpoint (or final model) cannot be written stops with
 * one sentence naming the disk and what was kept (exit 1), leaves no temporary, keeps the previous
 * checkpoint, and resumed once there is space ends bit for bit where an uninterrupted run ends.
 * The failure is injected into node:fs's writeSync (fault-injection.ts); docs/reliability.md also
 * records the same scenario on a real 2 MB tmpfs.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { RunError } from '../../src/runtime/errors.js';
import { runTraining, type RunOptions } from '../../src/runtime/program.js';
import { RUN_LOCK_FILE } from '../../src/runtime/run-lock.js';
import { injectWriteFault, type InstalledFault } from './fault-injection.js';

const SPEC = `model {
  input(shape: [4])
  dense(8, activation: relu)
  dense(1)
}
data {
  source: random(samples: 48, features: 4)
  split { train: 0.75, validation: 0.25 }
}
loss: mse
optimizer: adam(lr: 0.01)
train {
  epochs: 4
  batch: 8
  seed: 5
  checkpoint_every: 1
}
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-disk-full-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fault: InstalledFault | null = null;
afterEach(() => {
  fault?.restore();
  fault = null;
});

const specFile = path.join(tmp, 'tiny.mlspec');
fs.writeFileSync(specFile, SPEC);

function train(out: string, options: Partial<RunOptions> = {}) {
  const { ir, diagnostics } = analyze(SPEC, specFile);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return runTraining(evaluatePlan(lowerSpec(ir!, SPEC), specFile), { backend: 'cpu', cwd: tmp, quiet: true, json: false, force: false, handleSignals: false, out, ...options });
}

const weights = (out: string) => fs.readFileSync(path.join(out, 'model', 'weights.bin'));
const metrics = (out: string) =>
  fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => {
    const { time_s: _, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return rest;
  });
const leftovers = (out: string) => [...fs.readdirSync(out), ...fs.readdirSync(path.join(out, 'model'), { withFileTypes: false }).map((n) => `model/${n}`)].filter((n) => n.endsWith('.tmp') || n.endsWith(RUN_LOCK_FILE));

async function failure(promise: Promise<unknown>): Promise<RunError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(RunError);
    return error as RunError;
  }
  throw new Error('the run did not fail');
}

let reference = '';
beforeAll(async () => {
  reference = path.join(tmp, 'reference');
  await train(reference);
});

describe('a full disk', () => {
  it('while writing a checkpoint keeps the previous one and the model, and resumes bit-identically', async () => {
    // Two epochs end with a checkpoint and a model; continuing to four, the next checkpoint write
    // (periodic or final, whichever comes first) finds the disk full.
    const out = path.join(tmp, 'checkpoint-fails');
    await train(out, { epochs: 2 });
    const previous = { checkpoint: fs.readFileSync(path.join(out, 'checkpoint.bin')), model: weights(out) };
    fault = injectWriteFault({ match: /checkpoint\.bin.*\.tmp$/, code: 'ENOSPC' });
    const error = await failure(train(out, { resume: out, epochs: 4 }));
    fault.restore();
    expect(fault.matched.length).toBe(1);
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(
      /^cannot write \S+checkpoint\.bin: no space left on the device \(the \S+ file system mounted at \S+, .* free\); the previous checkpoint \(2 epochs, 10 steps\) and the other files are kept unchanged; free some space and continue with --resume \S+\.$/,
    );
    expect(fs.readFileSync(path.join(out, 'checkpoint.bin')).equals(previous.checkpoint)).toBe(true);
    expect(weights(out).equals(previous.model)).toBe(true);
    expect(readCheckpoint(path.join(out, 'checkpoint.bin')).header.position.history).toHaveLength(2);
    expect(leftovers(out)).toEqual([]);

    await train(out, { resume: out, epochs: 4 });
    expect(weights(out).equals(weights(reference))).toBe(true);
    expect(metrics(out)).toEqual(metrics(reference));
  });

  it('while writing the model keeps the final checkpoint; a resume then writes the model', async () => {
    const out = path.join(tmp, 'model-fails');
    fault = injectWriteFault({ match: /weights\.bin.*\.tmp$/, code: 'ENOSPC' });
    const error = await failure(train(out));
    fault.restore();
    expect(error.message).toMatch(/^cannot write \S+weights\.bin: no space left on the device .*; the previous checkpoint \(4 epochs, 20 steps\) and the other files are kept/);
    expect(fs.readdirSync(path.join(out, 'model'))).toEqual([]);
    await train(out, { resume: out });
    expect(weights(out).equals(weights(reference))).toBe(true);
    expect(leftovers(out)).toEqual([]);
  });

  it('at the first checkpoint says that nothing resumable exists yet', async () => {
    const out = path.join(tmp, 'first-fails');
    fault = injectWriteFault({ match: /checkpoint\.bin.*\.tmp$/, code: 'EDQUOT' });
    const error = await failure(train(out));
    expect(error.message).toMatch(/: the disk quota is exceeded \(.*\); the files already in \S+ are kept unchanged, but there is no checkpoint yet; free some space and start the run again with --force\.$/);
  });

  it("stale temporaries and a dead process's lock are removed when the run starts", async () => {
    const out = path.join(tmp, 'stale');
    await train(out, { epochs: 2 });
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.writeFileSync(path.join(out, `.checkpoint.bin.mlspec-${dead}-1700000000000-1.tmp`), Buffer.alloc(1000));
    fs.writeFileSync(path.join(out, 'model', `.weights.bin.${dead}.1700000000000.tmp`), Buffer.alloc(1000));
    fs.writeFileSync(path.join(out, RUN_LOCK_FILE), JSON.stringify({ pid: Number(dead), host: os.hostname(), started: 'earlier', argv: [] }));
    await train(out, { resume: out, epochs: 4 });
    expect(leftovers(out)).toEqual([]);
    expect(weights(out).equals(weights(reference))).toBe(true);
  });
});
