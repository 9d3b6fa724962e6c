/**
 * One implementation of the training semantics: the compiled program of every example (its
 * train.ts with the model as tfjs layers calls and the loop written out, over the copied runtime)
 * gives per-step losses, saved weights and checkpoint fingerprints bit-identical to `mlspec run`
 * (in-process here) with the same seed and backend, and says it was not edited. Slow examples run for one epoch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { readCheckpoint } from '../../src/runtime/checkpoint.js';
import { runTraining } from '../../src/runtime/program.js';
import { compileExampleTo, EXAMPLES, ROOT, runNode, scratchDir, stepLines, transpileFolder } from './emit-helpers.js';

const EPOCHS: Record<string, number> = {
  classic: 5,
  iris: 3,
  breast_cancer: 2,
  residual: 2,
  digits_cnn: 1,
  digits_images: 2,
  sine_lstm: 1,
  reverse_transformer: 1,
};

const dir = scratchDir('equivalence');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function interpreted(name: string, backend: 'wasm' | 'cpu', epochs: number, out: string): Promise<void> {
  const specFile = path.join(ROOT, 'examples', `${name}.mlspec`);
  const source = fs.readFileSync(specFile, 'utf8');
  const { ir } = analyze(source, specFile);
  await runTraining(evaluatePlan(lowerSpec(ir!, source), specFile), {
    backend,
    epochs,
    out,
    cwd: dir,
    quiet: true,
    json: false,
    force: false,
    handleSignals: false,
  });
}

/** The compiled folder of an example (train.ts, mlspec-runtime/, its data), transpiled once. */
function compiledFolder(name: string): string {
  const folder = path.join(dir, name);
  if (!fs.existsSync(path.join(folder, 'train.js'))) {
    compileExampleTo(name, folder);
    transpileFolder(folder);
  }
  return folder;
}

function compiled(name: string, backend: 'wasm' | 'cpu', epochs: number, out: string): void {
  const script = path.join(compiledFolder(name), 'train.js');
  const result = runNode(script, ['--backend', backend, '--epochs', String(epochs), '--out', out, '--quiet'], dir);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
}

function checkpointFingerprint(run: string): unknown {
  return readCheckpoint(path.join(run, 'checkpoint.bin')).header.fingerprint;
}

describe('compiled programs train exactly as mlspec run does', () => {
  it.each(EXAMPLES)('%s on wasm', async (name) => {
    const epochs = EPOCHS[name] ?? 1;
    const a = path.join(dir, `${name}-run`);
    const b = path.join(dir, `${name}-compiled`);
    await interpreted(name, 'wasm', epochs, a);
    compiled(name, 'wasm', epochs, b);
    const run = stepLines(a);
    expect(run.length).toBeGreaterThan(0);
    expect(stepLines(b)).toEqual(run);
    // The saved models are the same bytes too, and each run describes the same model and optimizer.
    expect(fs.readFileSync(path.join(b, 'model/weights.bin'))).toEqual(fs.readFileSync(path.join(a, 'model/weights.bin')));
    const described = (run: string) => {
      const { program } = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as { program: Record<string, unknown> };
      return { model: program.model, optimizer: program.optimizer, schedule: program.schedule, loss: program.loss };
    };
    expect(described(b)).toEqual(described(a));
    // The compiled program, as compiled, knows it was not edited; `mlspec run` has no "edited" at all.
    const editedOf = (run: string) => (JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as { edited?: string[] }).edited;
    expect(editedOf(b)).toEqual([]);
    expect(editedOf(a)).toBeUndefined();
    expect(checkpointFingerprint(b)).toEqual(checkpointFingerprint(a));
  });

  it('classic on cpu', async () => {
    const a = path.join(dir, 'classic-cpu-run');
    const b = path.join(dir, 'classic-cpu-compiled');
    await interpreted('classic', 'cpu', 5, a);
    compiled('classic', 'cpu', 5, b);
    expect(stepLines(b)).toEqual(stepLines(a));
  });
});
