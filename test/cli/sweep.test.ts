/**
 * `mlspec sweep` as a user runs it (needs `npm run build`): a 6-trial grid on iris (3 epochs,
 * cpu), 2 trials at a time; the sweep and its trials are SIGKILLed mid-way (one process group),
 * `mlspec sweep --resume` finishes it without rerunning a finished trial (their attempts and
 * summary.json mtimes are unchanged) and resumes a trial caught with a checkpoint; then
 * `mlspec compare` on the sweep writes a leaderboard equal to each trial's summary.json.
 * Also: the search space (grid, ranges, seeded draws) and usage errors.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SweepRecord } from '../../src/compare/runs.js';
import { gridTrials, parseDimension, randomTrials, splitTopLevel } from '../../src/sweep/space.js';
import { medianRule } from '../../src/sweep/run-sweep.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const IRIS = path.join(ROOT, 'examples/iris.mlspec');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-sweep-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { ...process.env, NO_COLOR: '1' };

function mlspec(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env });
}

const GRID = ['--set', 'train.epochs=3', '--set', 'optimizer.lr=0.1,0.01,0.001', '--set', 'train.batch=16,32', '--backend', 'cpu', '--parallel', '2'];

const readSweep = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'sweep.json'), 'utf8')) as SweepRecord;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The largest number of attempts running at once; `killedAt` ends attempts the kill cut short. */
function maxConcurrent(record: SweepRecord, killedAt: number): number {
  const events: [number, number][] = [];
  for (const t of record.trials)
    for (const a of t.attempts) {
      events.push([Date.parse(a.started), 1]);
      events.push([a.ended ? Date.parse(a.ended) : killedAt, -1]);
    }
  events.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let now = 0;
  let max = 0;
  for (const [, d] of events) max = Math.max(max, (now += d));
  return max;
}

describe('the search space', () => {
  it('splits values at top-level commas only', () => {
    expect(splitTopLevel('0.1, 0.01,1e-3')).toEqual(['0.1', '0.01', '1e-3']);
    expect(splitTopLevel('cosine(steps: 100, warmup: 5),constant,[1, 2]')).toEqual(['cosine(steps: 100, warmup: 5)', 'constant', '[1, 2]']);
    expect(splitTopLevel('"a,b",c')).toEqual(['"a,b"', 'c']);
  });
  it('expands a grid, last --set fastest', () => {
    const dims = ['optimizer.lr=0.1,0.01', 'train.batch=16,32,64', 'train.epochs=3'].map(parseDimension);
    const trials = gridTrials(dims);
    expect(trials).toHaveLength(6);
    expect(trials[0]).toEqual({ 'optimizer.lr': '0.1', 'train.batch': '16', 'train.epochs': '3' });
    expect(trials[1]!['train.batch']).toBe('32');
    expect(() => gridTrials([parseDimension('optimizer.lr=loguniform(1e-4, 1e-1)')])).toThrow(/--random/);
  });
  it('draws seeded random trials inside the ranges', () => {
    const dims = ['optimizer.lr=loguniform(1e-4, 1e-1)', 'train.batch=choice(16, 32)', 'optimizer.beta=uniform(0.8, 0.99)'].map(parseDimension);
    const a = randomTrials(dims, 20, 3);
    expect(randomTrials(dims, 20, 3)).toEqual(a);
    expect(randomTrials(dims, 20, 4)).not.toEqual(a);
    for (const t of a) {
      expect(Number(t['optimizer.lr'])).toBeGreaterThanOrEqual(1e-4);
      expect(Number(t['optimizer.lr'])).toBeLessThanOrEqual(1e-1);
      expect(['16', '32']).toContain(t['train.batch']);
      expect(Number(t['optimizer.beta'])).toBeGreaterThanOrEqual(0.8);
    }
    expect(new Set(a.map((t) => t['train.batch'])).size).toBe(2);
    expect(() => parseDimension('optimizer.lr=loguniform(0, 1)')).toThrow(/low > 0/);
  });
});

describe('the median rule', () => {
  const curve = (...v: number[]) => v.map((val_loss, i) => ({ epoch: i + 1, val_loss }));
  const rule = { monitor: 'val_loss', mode: 'min' as const, warmup: 2, minTrials: 2 };
  it('prunes a trial whose best so far is worse than the median of finished trials at its epoch', () => {
    const finished = [curve(1, 0.5, 0.4), curve(1, 0.7, 0.6), curve(1, 0.9, 0.8)];
    expect(medianRule(curve(1), finished, rule)).toBeNull(); // warm-up
    expect(medianRule(curve(1, 0.6), finished, rule)).toBeNull(); // 0.6 < median 0.7
    expect(medianRule(curve(1, 0.8), finished, rule)).toEqual({ epoch: 2, best: 0.8, median: 0.7 });
    expect(medianRule(curve(1, 0.8), finished.slice(0, 1), rule)).toBeNull(); // too few finished
    expect(medianRule(curve(1, 0.5), [curve(0.2, 0.3), curve(0.2, 0.4)], { ...rule, monitor: 'val_accuracy', mode: 'max' })).toBeNull(); // no such values
    const acc = (...v: number[]) => v.map((val_accuracy, i) => ({ epoch: i + 1, val_accuracy }));
    expect(medianRule(acc(0.3, 0.4), [acc(0.5, 0.75), acc(0.5, 0.25)], { ...rule, monitor: 'val_accuracy', mode: 'max' })).toEqual({ epoch: 2, best: 0.4, median: 0.5 });
  });
});

describe('mlspec sweep', () => {
  it('--random N draws seeded trials from ranges; each trial is a normal run folder naming its overrides', () => {
    const dir = path.join(tmp, 'random');
    const sets = ['train.epochs=1', 'optimizer.lr=loguniform(1e-4, 1e-1)', 'train.batch=choice(8, 16, 32)'];
    const r = mlspec('sweep', IRIS, ...sets.flatMap((x) => ['--set', x]), '--random', '3', '--seed', '5', '--backend', 'cpu', '--parallel', '2', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const record = readSweep(dir);
    expect(record).toMatchObject({ mode: 'random', seed: 5, fixed: ['train.epochs=1'], varied: ['optimizer.lr', 'train.batch'] });
    const expected = randomTrials(sets.map(parseDimension), 3, 5);
    expect(record.trials.map((t) => t.settings)).toEqual(expected.map((e) => ({ 'optimizer.lr': e['optimizer.lr'], 'train.batch': e['train.batch'] })));
    for (const t of record.trials) {
      expect(t.status).toBe('done');
      const spec = fs.readFileSync(path.join(dir, t.folder, 'spec.mlspec'), 'utf8');
      expect(spec).toContain(`# with --set train.epochs=1 --set optimizer.lr=${t.settings['optimizer.lr']} --set train.batch=${t.settings['train.batch']}`);
      expect(fs.existsSync(path.join(dir, t.folder, 'summary.json'))).toBe(true);
    }
    expect(r.stdout.split('\n')[0]).toMatch(/^rank\s+run\s+status\s+optimizer\.lr\s+train\.batch\s+val_loss/);
    expect(fs.existsSync(path.join(dir, 'compare.html'))).toBe(true);
  });

  it('--prune median stops a hopeless trial early and keeps the good ones', () => {
    const dir = path.join(tmp, 'prune');
    const r = mlspec('sweep', IRIS, '--set', 'train.epochs=40', '--set', 'optimizer.lr=0.1,0.05,0.000001', '--backend', 'cpu', '--parallel', '1', '--prune', 'median', '--out', dir);
    expect(r.status, r.stderr).toBe(0);
    const record = readSweep(dir);
    expect(record.prune).toEqual({ rule: 'median', warmup: 3, min_trials: 2 });
    expect(record.trials.map((t) => t.status)).toEqual(['done', 'done', 'pruned']);
    const pruned = record.trials[2]!.pruned!;
    expect(pruned.epoch).toBeGreaterThanOrEqual(3);
    expect(pruned.best).toBeGreaterThan(pruned.median);
    const epochs = fs.readFileSync(path.join(dir, 'trial-003', 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"epoch"'));
    expect(epochs.length).toBeLessThan(40);
    expect(r.stderr).toMatch(/pruning trial-003 at epoch \d+/);
  });

  it('usage errors exit 2 and start nothing', () => {
    expect(mlspec('sweep', IRIS, '--set', 'train.epochs=3').status).toBe(2);
    const range = mlspec('sweep', IRIS, '--set', 'optimizer.lr=loguniform(1e-4, 1e-1)', '--out', path.join(tmp, 'bad'));
    expect(range.status).toBe(2);
    expect(range.stderr).toMatch(/--random N/);
    const wrong = mlspec('sweep', IRIS, '--set', 'train.bach=16,32', '--out', path.join(tmp, 'bad'));
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/Did you mean 'batch'/);
    expect(fs.existsSync(path.join(tmp, 'bad'))).toBe(false);
    expect(mlspec('sweep', '--resume', path.join(tmp, 'nothing')).status).toBe(2);
    const twice = mlspec('sweep', IRIS, '--set', 'optimizer.lr=0.1,0.01', '--set', 'optimizer.lr=0.5', '--out', path.join(tmp, 'bad'));
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/given twice/);
    expect(mlspec('sweep', IRIS, '--set', 'optimizer.lr=0.1,0.01', '--prune', 'halving', '--out', path.join(tmp, 'bad')).status).toBe(2);
  });

  it('runs 6 trials 2 at a time, survives a SIGKILL, resumes without rerunning finished trials; compare matches summary.json', async () => {
    const dir = path.join(tmp, 'grid');
    const sweep = spawn(process.execPath, [BIN, 'sweep', IRIS, ...GRID, '--out', dir], { cwd: tmp, env, detached: true, stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => sweep.on('exit', () => resolve()));
    // Kill once 2 trials are done, preferably while a running trial has a checkpoint but no summary.
    const deadline = Date.now() + 60_000;
    let caught = false;
    for (;;) {
      await sleep(10);
      if (Date.now() > deadline) throw new Error('the sweep did not get going');
      let record: SweepRecord;
      try {
        record = readSweep(dir);
      } catch {
        continue;
      }
      const done = record.trials.filter((t) => t.status === 'done').length;
      if (done >= 4) break;
      const running = record.trials.filter((t) => t.status === 'running');
      caught = running.some((t) => fs.existsSync(path.join(dir, t.folder, 'checkpoint.bin')) && !fs.existsSync(path.join(dir, t.folder, 'summary.json')));
      if (done >= 2 && running.length > 0 && (caught || done >= 3)) break;
    }
    process.kill(-sweep.pid!, 'SIGKILL');
    const killedAt = Date.now();
    await exited;
    await sleep(200);

    const before = readSweep(dir);
    const finished = before.trials.filter((t) => t.status === 'done');
    const cut = before.trials.filter((t) => t.status === 'running');
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(cut.length).toBeGreaterThanOrEqual(1);
    const withCheckpoint = cut.filter((t) => fs.existsSync(path.join(dir, t.folder, 'checkpoint.bin')) && !fs.existsSync(path.join(dir, t.folder, 'summary.json')));
    const mtimes = new Map(finished.map((t) => [t.id, fs.statSync(path.join(dir, t.folder, 'summary.json')).mtimeMs]));
    const firstPhase = maxConcurrent(before, killedAt);

    const resumed = mlspec('sweep', '--resume', dir);
    const logs = () => fs.readdirSync(path.join(dir, 'logs')).map((f) => fs.readFileSync(path.join(dir, 'logs', f), 'utf8')).join('\n');
    expect(resumed.status, `${resumed.stderr}\n${logs()}`).toBe(0);
    const after = readSweep(dir);
    expect(after.trials.map((t) => t.status)).toEqual(Array(6).fill('done'));
    for (const t of finished) {
      const now = after.trials.find((x) => x.id === t.id)!;
      expect(now.attempts, `${t.id} was rerun`).toHaveLength(1);
      expect(fs.statSync(path.join(dir, t.folder, 'summary.json')).mtimeMs).toBe(mtimes.get(t.id));
    }
    for (const t of cut) {
      const now = after.trials.find((x) => x.id === t.id)!;
      // Either finished just before the kill (found finished, not rerun) or started again / resumed.
      expect(now.attempts.length).toBeGreaterThanOrEqual(1);
      if (now.attempts.length > 1) expect(['resume', 'restart', 'start']).toContain(now.attempts[1]!.mode);
    }
    // A trial cut with a checkpoint and no summary continued from it (`mlspec run --resume`). The
    // kill waits for such a moment, so this is the usual case; a trial may still finish between
    // the look and the kill, so it is not asserted that one was caught.
    console.log(`sweep test: ${withCheckpoint.length} trial(s) cut with a checkpoint`);
    for (const t of withCheckpoint) {
      expect(after.trials.find((x) => x.id === t.id)!.attempts.at(-1)!.mode, t.id).toBe('resume');
      // ... and ended exactly where an uninterrupted run of the same settings ends.
      const fresh = path.join(tmp, `fresh-${t.id}`);
      expect(mlspec('run', IRIS, ...t.sets.flatMap((x) => ['--set', x]), '--backend', 'cpu', '--quiet', '--out', fresh).status).toBe(0);
      const pick = (d: string) => {
        const j = JSON.parse(fs.readFileSync(path.join(d, 'summary.json'), 'utf8')) as Record<string, unknown>;
        return { train: j.train, validation: j.validation, test: j.test };
      };
      expect(pick(path.join(dir, t.folder))).toEqual(pick(fresh));
    }
    // A resumed trial continued its run: every trial's metrics.jsonl has exactly 3 epochs.
    for (const t of after.trials) {
      const epochs = fs.readFileSync(path.join(dir, t.folder, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"epoch"'));
      expect(epochs.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2, 3]);
    }
    // At most 2 at once, and 2 did overlap.
    expect(Math.max(firstPhase, maxConcurrent(after, killedAt))).toBeLessThanOrEqual(2);
    expect(firstPhase).toBe(2);

    // compare on the sweep: the leaderboard equals each trial's summary.json.
    const compared = mlspec('compare', dir);
    expect(compared.status, compared.stderr).toBe(0);
    const html = fs.readFileSync(path.join(dir, 'compare.html'), 'utf8');
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    expect(html).not.toMatch(/<script|https?:\/\//);
    const board = /<table class="board board-0" data-sorted-by="val_loss">([\s\S]*?)<\/table>/.exec(html);
    expect(board).not.toBeNull();
    const rows = [...board![1]!.matchAll(/<tr class="run-row[^"]*" data-run="(trial-\d+)">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(6);
    const scores: number[] = [];
    for (const [, id, row] of rows) {
      const summary = JSON.parse(fs.readFileSync(path.join(dir, id!, 'summary.json'), 'utf8')) as Record<string, Record<string, number>>;
      const cells = Object.fromEntries([...row!.matchAll(/data-metric="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1]!, Number(m[2])]));
      expect(cells).toEqual({
        loss: summary.train!.loss,
        accuracy: summary.train!.accuracy,
        val_loss: summary.validation!.loss,
        val_accuracy: summary.validation!.accuracy,
        test_loss: summary.test!.loss,
        test_accuracy: summary.test!.accuracy,
      });
      const trial = after.trials.find((t) => t.id === id)!;
      expect(row).toContain(`>${trial.settings['optimizer.lr']}</td>`);
      scores.push(cells.val_loss!);
    }
    expect([...scores].sort((a, b) => a - b)).toEqual(scores);
    // The text leaderboard on stdout: same order, same monitor values.
    const lines = compared.stdout.trim().split('\n').slice(2);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(rows.map((r) => r[1]));
    expect(lines.map((l) => Number(l.split(/\s+/)[5]))).toEqual(scores.map((s) => Number(s.toFixed(4))));
    // One scatter plot per varied setting, one point per trial.
    expect((html.match(/<svg class="plot scatter"/g) ?? []).length).toBe(2);
    expect((html.match(/<circle class="point"/g) ?? []).length).toBe(12);
  });
});
