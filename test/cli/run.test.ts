/**
 * `mlspec run` as a user runs it: the bin, a fresh process, real exit codes. Needs `npm run build`
 * (the test script runs it first).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-cli-run-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mlspec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const classic = path.join(ROOT, 'examples/classic.mlspec');

describe('mlspec run', () => {
  it('trains the classic example: the loss falls, files land in the run folder', () => {
    const out = path.join(tmp, 'classic');
    const r = mlspec('run', classic, '--epochs', '20', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    // Progress and notes on stderr; the results table alone on stdout.
    expect(r.stderr).toMatch(/^mlspec: training classic on wasm/);
    expect(r.stderr).toMatch(/epoch 20\/20/);
    expect(r.stdout).toMatch(/^split +loss\s*\n-+ +-+\s*\ntrain +\d\.\d{4}\s*\n$/);
    // The last line names the report; counts are in words with their plurals.
    const last = r.stderr.trimEnd().split('\n').at(-1)!;
    expect(last).toBe(`model, metrics and summary written to ${out}; the report is ${path.join(out, 'report.html')}`);
    expect(r.stderr).toMatch(/\n20 epochs, 20 steps in /);
    const epochs = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'epoch');
    expect(epochs).toHaveLength(20);
    expect(epochs[19].loss).toBeLessThan(epochs[0].loss / 3);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ spec: 'classic', seed: 42, backend: 'wasm', epochs_run: 20, steps: 20 });
  });

  it('one epoch of one step is "1 epoch, 1 step"; --json puts only the summary on stdout', () => {
    const r = mlspec('run', classic, '--epochs', '1', '--json', '--out', path.join(tmp, 'one'));
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ epochs_run: 1, steps: 1 });
    expect(r.stderr).toMatch(/\n1 epoch, 1 step in /);
  });

  it.each([
    ['gpu', '@tensorflow/tfjs-node-gpu', /CUDA 11\.2 and cuDNN 8\.1/],
    ['tensorflow', '@tensorflow/tfjs-node', /libtensorflow/],
  ])('--backend %s without its package: one clear message, exit 2', (backend, pkg, requirement) => {
    const r = mlspec('run', classic, '--backend', backend, '--out', path.join(tmp, `b-${backend}`));
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    // For gpu, Dawn (trying WebGPU first) and the Vulkan loader may print their own warnings.
    const lines = r.stderr.trim().split('\n').filter((line) => line.startsWith('mlspec'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`npm install ${pkg}@4.22.0`);
    expect(lines[0]).toMatch(requirement);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('--backend auto falls back to wasm here and says which it used', () => {
    const r = mlspec('run', classic, '--backend', 'auto', '--epochs', '1', '--json', '--out', path.join(tmp, 'auto'));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).backend).toBe('wasm');
  });

  it('reports a spec with errors with its diagnostics and exit 1, training nothing', () => {
    const bad = path.join(tmp, 'bad.mlspec');
    fs.writeFileSync(bad, fs.readFileSync(classic, 'utf8').replace('adam(lr: 0.01)', 'adam(lr: -0.01)'));
    const r = mlspec('run', bad, '--out', path.join(tmp, 'bad-run'));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.mlspec:\d+:\d+: error\[E04\d\d\]/);
    expect(fs.existsSync(path.join(tmp, 'bad-run'))).toBe(false);
  });

  it('rejects bad option values with exit 2', () => {
    expect(mlspec('run', classic, '--epochs', 'ten').status).toBe(2);
    expect(mlspec('run', classic, '--backend', 'tpu').status).toBe(2);
    expect(mlspec('run', path.join(tmp, 'missing.mlspec')).status).toBe(2);
  });
});
