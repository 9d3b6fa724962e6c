/**
 * A compiled program is meant to be edited: here iris's train.ts gets 32 units instead of 16,
 * Adam instead of momentum and another learning rate. The edited program runs, its run folder
 * describes what it trained (not the stale spec): summary.json lists the edited parts, spec.mlspec
 * and the report say the program was edited, `mlspec compare` shows the edited parts from the
 * program's description; an unedited program's run says it was not edited; and resuming the
 * unedited program's run with the edited one is refused in one sentence, as `mlspec run` refuses a
 * changed spec.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { compileExampleTo, exampleSpec, runNode, scratchDir, transpileFolder } from './emit-helpers.js';

const dir = scratchDir('edited');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const original = path.join(dir, 'original');
const edited = path.join(dir, 'edited');
const args = ['--backend', 'cpu', '--quiet'];

function edit(text: string, from: string | RegExp, to: string): string {
  const next = text.replace(from, to);
  expect(next, `the program contains ${String(from)}`).not.toBe(text);
  return next;
}

interface Summary {
  edited?: string[];
  program: { source: string; sha256: string; model: { name: string; units?: number }[]; optimizer: { kind: string; lr: number; beta1?: number } };
}

beforeAll(() => {
  compileExampleTo('iris', original);
  transpileFolder(original);
  fs.cpSync(original, edited, { recursive: true });
  let program = fs.readFileSync(path.join(edited, 'train.ts'), 'utf8');
  program = edit(program, /(name: 'dense_1',\n\s+)units: 16,/, '$1units: 32,');
  program = edit(program, /mlspec\.createMomentum\(\{[^}]*\}\)/, 'mlspec.createAdam({ beta1: 0.8 })');
  program = edit(program, 'const learningRate = 0.1;', 'const learningRate = 0.005;');
  fs.writeFileSync(path.join(edited, 'train.ts'), program);
  transpileFolder(edited);
});

describe('an edited compiled program', () => {
  it('trains what it now says, and its run folder records that, not the spec', () => {
    const run = path.join(dir, 'run-edited');
    const result = runNode(path.join(edited, 'train.js'), [...args, '--epochs', '1', '--out', run], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as Summary;
    expect(summary.program.source).toBe('program');
    expect(summary.program.sha256).toBe(createHash('sha256').update(fs.readFileSync(path.join(edited, 'train.ts'))).digest('hex'));
    expect(summary.program.model.find((l) => l.name === 'dense_1')?.units).toBe(32);
    expect(summary.program.optimizer).toMatchObject({ kind: 'adam', lr: 0.005, beta1: 0.8 });
    const model = JSON.parse(fs.readFileSync(path.join(run, 'model', 'model.json'), 'utf8')) as { modelTopology: unknown };
    expect(JSON.stringify(model.modelTopology)).toContain('"units":32');
    const report = fs.readFileSync(path.join(run, 'report.html'), 'utf8');
    expect(report).toContain('trained by the compiled program');
    expect(report).toContain('&quot;kind&quot;: &quot;adam&quot;');
    const steps = fs.readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"step"'));
    expect(JSON.parse(steps[0]!).lr).toBe(0.005);
    // The run folder says which parts were edited, and never passes the spec off as what trained.
    expect(summary.edited).toEqual(['model', 'optimizer', 'learningRate']);
    const note = 'This program was edited after it was compiled (model, optimizer, learningRate); summary.json "program" describes what trained, not this spec.';
    const spec = fs.readFileSync(path.join(run, 'spec.mlspec'), 'utf8');
    expect(spec).toBe(`# ${note}\n${fs.readFileSync(exampleSpec('iris'), 'utf8')}`);
    expect(report).toContain(`<p class="facts" id="program-edited"><span>${note.replace(/"/g, '&quot;')}</span></p>`);
  });

  it('says an unedited program was not edited, even with --data and --epochs given', () => {
    const run = path.join(dir, 'run-unedited');
    const csv = path.join(original, 'data', 'iris.csv');
    const result = runNode(path.join(original, 'train.js'), [...args, '--epochs', '1', '--data', csv, '--out', run], dir);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as Summary;
    expect(summary.edited).toEqual([]);
    expect(fs.readFileSync(path.join(run, 'spec.mlspec'), 'utf8')).toBe(fs.readFileSync(exampleSpec('iris'), 'utf8'));
    expect(fs.readFileSync(path.join(run, 'report.html'), 'utf8')).not.toContain('program-edited');
  });

  it('is compared by what it trained: mlspec compare shows the edited parts from the program', async () => {
    let stdout = '';
    let stderr = '';
    const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: dir };
    const html = path.join(dir, 'compare.html');
    const code = await main(['compare', path.join(dir, 'run-edited'), path.join(dir, 'run-unedited'), '-o', html], io);
    expect(code, stderr).toBe(0);
    const page = fs.readFileSync(html, 'utf8');
    expect(page).toContain('dense_1 Dense(units: 32, activation: relu, useBias: true)');
    expect(page).toMatch(/<td class="name">program\.optimizer[^<]*<\/td><td class="name">adam\(beta1: 0\.8[^<]*\)<\/td><td class="name">—<\/td>/);
    expect(page).toContain('<td class="name">0.005</td>');
    expect(stdout).not.toBe('');
  });

  it('refuses to resume a run of the unedited program, naming what changed', () => {
    const run = path.join(dir, 'run-original');
    const first = runNode(path.join(original, 'train.js'), [...args, '--epochs', '1', '--out', run], dir);
    expect(first.status, first.stderr).toBe(0);
    const refused = runNode(path.join(edited, 'train.js'), [...args, '--epochs', '2', '--resume', run], dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/Cannot resume .*run-original: the model and optimizer changed since its checkpoint; only epochs, metrics, the stop rule and the checkpoint interval may change when resuming\./);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    // The unedited program resumes its own run.
    const resumed = runNode(path.join(original, 'train.js'), [...args, '--epochs', '2', '--resume', run], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
  });

  it('resumed by a program whose epochs were edited (allowed), says so in summary.json and spec.mlspec', () => {
    const run = path.join(dir, 'run-original');
    const program = fs.readFileSync(path.join(original, 'train.js'), 'utf8');
    fs.writeFileSync(path.join(original, 'train-epochs.js'), edit(program, 'epochs: 150,', 'epochs: 3,'));
    const resumed = runNode(path.join(original, 'train-epochs.js'), [...args, '--resume', run], dir);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as Summary & { epochs_run: number };
    expect(summary.epochs_run).toBe(3);
    expect(summary.edited).toEqual(['epochs']);
    expect(fs.readFileSync(path.join(run, 'spec.mlspec'), 'utf8').split('\n')[0]).toBe('# This program was edited after it was compiled (epochs); summary.json "program" describes what trained, not this spec.');
  });
});
