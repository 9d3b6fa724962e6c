/**
 * When the PyTorch program writes checkpoints: as `mlspec run` does (docs/semantics.md,
 * "Checkpoints"), every `checkpoint_every` epochs but no sooner than 20 times the last write's
 * duration, within an epoch once `checkpoint_seconds` have passed, and at the end. A driver
 * replaces Run.write_checkpoint with one that records the loop position it was given (and can be
 * made slow), so the policy is observed without depending on the disk's speed; the first case
 * turns the spacing rule off (CHECKPOINT_SPACING = 0) so that a loaded machine cannot skip one.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, PYTHON, stepRecords } from './pytorch-helpers.js';

const spec = (train: string, samples = 24) => `model {
  input(shape: [3])
  dense(4, activation: tanh)
  dense(2, activation: softmax)
}
data {
  source: random(samples: ${samples}, features: 3, classes: 2)
  split { train: 1.0 }
}
loss: sparse_categorical_cross_entropy
optimizer: sgd(lr: 0.1)
train {
${train}
}
`;

const DRIVER = `
import importlib.util, json, os, sys, time
jobs = json.load(open(sys.argv[1]))
results = []
for i, job in enumerate(jobs):
    sys.path.insert(0, job["dir"])
    spec = importlib.util.spec_from_file_location(f"mlspec_program_{i}", os.path.join(job["dir"], "train.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = []
    def record(self, position, *rest, delay=job["delay"]):
        written.append([position["epoch"], position["batch"]])
        time.sleep(delay)
    module.rt.Run.write_checkpoint = record
    module.rt.CHECKPOINT_SPACING = job["spacing"]
    code = module.rt.main(module.SPEC, module.Model, job["args"])
    results.append({"code": code, "written": written})
    sys.path.pop(0)
print(json.dumps(results))
`;

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-checkpoints-'));
type Result = { code: number; written: [number, number][] };
let results: Result[] = [];

beforeAll(() => {
  const jobs = [
    { name: 'every3', source: spec('  epochs: 12\n  batch: 8\n  seed: 1\n  checkpoint_every: 3\n  checkpoint_seconds: 0'), delay: 0, spacing: 0 },
    { name: 'spaced', source: spec('  epochs: 30\n  batch: 8\n  seed: 1\n  checkpoint_every: 1\n  checkpoint_seconds: 0'), delay: 0.05, spacing: 20 },
    { name: 'seconds', source: spec('  epochs: 2\n  batch: 1\n  seed: 1\n  checkpoint_every: 0\n  checkpoint_seconds: 0.01', 300), delay: 0, spacing: 20 },
  ].map((job) => {
    const dir = compileTorch(buildSpec(path.join(work, job.name), job.name, job.source), path.join(work, job.name, 'program'));
    return { dir, delay: job.delay, spacing: job.spacing, args: ['--out', path.join(work, job.name, 'run'), '--quiet'] };
  });
  fs.writeFileSync(path.join(work, 'driver.py'), DRIVER);
  fs.writeFileSync(path.join(work, 'jobs.json'), JSON.stringify(jobs));
  const run = spawnSync(PYTHON, [path.join(work, 'driver.py'), path.join(work, 'jobs.json')], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (run.status !== 0) throw new Error(`python failed (${run.status}): ${run.stderr}`);
  results = JSON.parse(run.stdout.trim().split('\n').pop()!) as Result[];
}, 120_000);

describe('PyTorch program checkpoints', () => {
  it('every checkpoint_every epochs, the last one being the end of training', () => {
    expect(results[0]!.code).toBe(0);
    expect(results[0]!.written).toEqual([[3, 0], [6, 0], [9, 0], [12, 0]]);
  });

  it('epoch checkpoints at least 20 times their writing time apart, and always the final one', () => {
    const { code, written } = results[1]!;
    expect(code).toBe(0);
    // Each write takes 50 ms, so the next epoch checkpoint waits a second: 30 tiny epochs (well
    // under a second here; a few on a loaded machine) see the first epoch's, a few more at most,
    // and the final one, not 30.
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written.length).toBeLessThanOrEqual(10);
    expect(written[0]).toEqual([1, 0]);
    expect(written.at(-1)).toEqual([30, 0]);
  });

  it('within an epoch once checkpoint_seconds have passed, at step boundaries, without losing or repeating a logged step', () => {
    const { code, written } = results[2]!;
    expect(code).toBe(0);
    const midEpoch = written.filter(([, batch]) => batch > 0);
    expect(midEpoch.length).toBeGreaterThan(0);
    expect(written.at(-1)).toEqual([2, 0]);
    const steps = stepRecords(path.join(work, 'seconds', 'run')).map((r) => r.step);
    expect(steps).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
  });
});
