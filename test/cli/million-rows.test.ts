/**
 * A million-row CSV goes through check, plan (a stratified split: it used to end in "Maximum call
 * stack size exceeded", a data-sized array spread into push) and a one-epoch run, each a real
 * process. The model is tiny and the batch large, so the time is the data's. Each process reports
 * its wall time and peak memory (printed; docs/benchmarks.md keeps them).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROWS = 1_000_000;
const bin = path.resolve('bin', 'mlspec.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-million-'));
const spec = path.join(work, 'million.mlspec');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// Prints the process's peak resident memory and CPU time on stderr when it exits (CPU time
// depends much less than wall time on what else the machine is doing).
const peakReporter = `data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();process.stderr.write('\\npeak-rss-kb '+u.maxRSS+' cpu-us '+(u.userCPUTime+u.systemCPUTime)+'\\n')})`;

function mlspec(...args: string[]): { code: number | null; stdout: string; stderr: string; seconds: number; peakMb: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', peakReporter, bin, ...args], { cwd: work, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = (performance.now() - started) / 1000;
  const peakMb = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  const cpuSeconds = Number(/cpu-us (\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1e6;
  console.log(`${ROWS} rows: mlspec ${args[0]} ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU, peak ${peakMb.toFixed(0)} MB`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, seconds, peakMb };
}

beforeAll(() => {
  // Three features in [0, 1) from a small LCG, and a class from their sum: 21 MB.
  let state = 12345;
  const draw = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['a,b,c,label'];
  for (let i = 0; i < ROWS; i++) {
    const a = draw();
    const b = draw();
    const c = draw();
    lines.push(`${a.toFixed(3)},${b.toFixed(3)},${c.toFixed(3)},${a + b > 1 ? 'hi' : 'lo'}`);
  }
  fs.writeFileSync(path.join(work, 'million.csv'), `${lines.join('\n')}\n`);
  fs.writeFileSync(
    spec,
    `model {
  input(shape: [3])
  dense(2)
}
data {
  source: csv("million.csv", label: label, categorical: true)
  split { train: 0.8, validation: 0.1, test: 0.1, stratify: true }
}
loss: sparse_categorical_cross_entropy(from_logits: true)
optimizer: adam(lr: 0.01)
train { epochs: 1, batch: 4096 }
`,
  );
});

describe('a 1,000,000-row CSV', { timeout: 180_000 }, () => {
  it('check, plan (stratified split) and a one-epoch run all succeed, in bounded memory', () => {
    const checked = mlspec('check', spec);
    expect(checked.code, checked.stderr).toBe(0);

    const planned = mlspec('plan', spec);
    expect(planned.code, planned.stderr).toBe(0);
    // Stratified, each class contributes floor(n_c * 0.1) rows: at most one row short per class.
    expect(planned.stdout).toMatch(/split +800,00[0-2] train, (99,999|100,000) validation, (99,999|100,000) test \(stratified/);

    const out = path.join(work, 'run');
    const ran = mlspec('run', spec, '--out', out, '--backend', 'wasm', '--json');
    expect(ran.code, ran.stderr).toBe(0);
    const summary = JSON.parse(ran.stdout) as { epochs_run: number; steps: number; test: { loss: number } };
    expect(summary.epochs_run).toBe(1);
    expect(summary.steps).toBe(196); // ceil(about 800,000 / 4096)
    expect(Number.isFinite(summary.test.loss)).toBe(true);
    const split = JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8')) as { train: number[]; validation: number[]; test: number[] };
    expect(split.train.length + split.validation.length + split.test.length).toBe(ROWS);

    // Proportional to the data: about a kilobyte per row at most (the rows as JavaScript arrays, the tensors, the split).
    for (const r of [checked, planned, ran]) expect(r.peakMb).toBeLessThan(2048);
  });
});
