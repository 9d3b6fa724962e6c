/**
 * A run whose data no longer fits the checked model is refused before training (data-fit.ts):
 * the situation of a compiled program run on a changed file. The plan is lowered from the spec
 * and its data checked, then the file is changed, then the runtime runs the plan, as a compiled
 * program does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { RunError } from '../../src/runtime/errors.js';
import { runTraining } from '../../src/runtime/program.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-data-fit-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const SPEC = `model {\n  input(shape: [2])\n  dense(3, activation: softmax)\n}\ndata {\n  source: csv("data.csv", label: label, categorical: true)\n}\nloss: sparse_categorical_cross_entropy\noptimizer: adam(lr: 0.05)\ntrain {\n  epochs: 1\n  batch: 4\n}\n`;
const rows = (classes: string[], columns = 2) => {
  const lines = [`${Array.from({ length: columns }, (_, i) => `x${i}`).join(',')},label`];
  for (let i = 0; i < 12; i++) lines.push(`${Array.from({ length: columns }, (_, j) => ((i + j) % 5) / 5).join(',')},${classes[i % classes.length]}`);
  return `${lines.join('\n')}\n`;
};

let runs = 0;
async function trainAfterChange(changed: string): Promise<unknown> {
  const dir = path.join(tmp, `case-${runs++}`);
  fs.mkdirSync(dir);
  const specFile = path.join(dir, 'spec.mlspec');
  fs.writeFileSync(specFile, SPEC);
  fs.writeFileSync(path.join(dir, 'data.csv'), rows(['a', 'b', 'c']));
  const { ir, diagnostics } = analyze(SPEC, specFile);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const plan = evaluatePlan(lowerSpec(ir!, SPEC), specFile);
  fs.writeFileSync(path.join(dir, 'data.csv'), changed);
  try {
    await runTraining(plan, { backend: 'cpu', cwd: dir, quiet: true, json: false, force: false, handleSignals: false, out: path.join(dir, 'run') });
    return null;
  } catch (error) {
    return error;
  }
}

describe('data that changed after the spec was checked', () => {
  it('the same classes still train', async () => {
    expect(await trainAfterChange(rows(['c', 'b', 'a']))).toBeNull();
  });

  it('a 4th class for a 3-unit output is refused before training', async () => {
    const error = await trainAfterChange(rows(['a', 'b', 'c', 'd']));
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).exitCode).toBe(1);
    expect((error as RunError).message).toBe(
      "The data has 4 classes (a, b, c, d) but the model's output has 3 units; the data changed since the spec was checked (a compiled program reads its data when it runs); check the spec again with mlspec check, and compile it again.",
    );
  });

  it('a 3rd feature column for a 2-feature input is refused (it was an internal error)', async () => {
    const error = await trainAfterChange(rows(['a', 'b', 'c'], 3));
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toMatch(/^The data's samples have shape \[3\] \(3 feature columns\) but the model's input is \[2\]; the data changed since the spec was checked/);
  });
});
