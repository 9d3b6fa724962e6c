/** `--set PATH=VALUE` on check, plan, compile and run, in-process through main(). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IRIS = path.join(ROOT, 'examples/iris.mlspec');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-set-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('--set', () => {
  it('check: applies the value and reports a bad one where it lands in the spec', async () => {
    expect((await mlspec('check', IRIS, '--set', 'optimizer.lr=0.01', '--set', 'model.dense_1.units=32')).code).toBe(0);
    const bad = await mlspec('check', IRIS, '--set', 'optimizer.lr=-1');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/iris\.mlspec:19:25: error\[E0401\]: Option 'lr' of momentum must be > 0, got -1\./);
  });

  it('a wrong path is a usage error with a did-you-mean on every command', async () => {
    for (const command of ['check', 'plan', 'compile', 'run']) {
      const r = await mlspec(command, IRIS, '--set', 'train.bach=4', ...(command === 'compile' ? ['-o', path.join(tmp, 'never.ts')] : []), ...(command === 'run' ? ['--out', path.join(tmp, 'never')] : []));
      expect(r.code, command).toBe(2);
      expect(r.stderr).toBe(`mlspec ${command}: --set train.bach=4: the train section has no entry 'bach'. Did you mean 'batch'?\n`);
    }
    expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'never.ts'))).toBe(false);
  });

  it('plan: plans the overridden epochs and batch', async () => {
    const r = await mlspec('plan', IRIS, '--set', 'train.epochs=3', '--set', 'train.batch=full');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/epochs +3 /);
    expect(r.stdout).toMatch(/batch size +108 \(full batch\)/);
    expect(r.stdout).toMatch(/total steps +3\n/);
  });

  it('compile: the program holds the overridden values', async () => {
    const out = path.join(tmp, 'iris-set.ts');
    const r = await mlspec('compile', IRIS, '--set', 'optimizer=adam(lr: 0.002)', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const program = fs.readFileSync(out, 'utf8');
    expect(program).toMatch(/const optimizer = mlspec\.createAdam\(/);
    expect(program).toMatch(/const learningRate = 0\.002;/);
    expect(program).toContain('# with --set optimizer=adam(lr: 0.002)');
  });

  it('run: trains the effective spec, and the run folder records it and the overrides', async () => {
    const out = path.join(tmp, 'run');
    const r = await mlspec('run', IRIS, '--backend', 'cpu', '--quiet', '--out', out, '--set', 'train.epochs=2', '--set', 'model.dense_1.units=8');
    expect(r.code, r.stderr).toBe(0);
    const recorded = fs.readFileSync(path.join(out, 'spec.mlspec'), 'utf8');
    expect(recorded).toContain('dense(8, activation: relu)');
    expect(recorded).toContain('epochs: 2');
    expect(recorded.trimEnd().split('\n').pop()).toBe('# with --set train.epochs=2 --set model.dense_1.units=8');
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.epochs_run).toBe(2);
    const model = JSON.parse(fs.readFileSync(path.join(out, 'model', 'model.json'), 'utf8'));
    expect(JSON.stringify(model.modelTopology)).toContain('"units":8');
  });
});
