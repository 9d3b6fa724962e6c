/**
 * `mlspec compare RUN...`: two real iris runs (2 epochs, cpu, different learning rates), a
 * hand-made unfinished run and one whose folder name needs escaping. The text leaderboard and
 * compare.html's tables equal summary.json; the page is self-contained; the curves overlay every
 * run; --monitor re-ranks; usage errors exit 2. (The sweep case is in sweep.test.ts.)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { settingsFromSpec } from '../../src/compare/runs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const IRIS = path.join(ROOT, 'examples/iris.mlspec');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-compare-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(out: string, lr: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'run', IRIS, '--backend', 'cpu', '--quiet', '--set', 'train.epochs=2', '--set', `optimizer.lr=${lr}`, '--out', out], { stdio: 'ignore' });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

async function compare(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(['compare', ...args], io);
  return { code, stdout, stderr };
}

const A = path.join(tmp, 'fast');
const B = path.join(tmp, 'slow');
const U = path.join(tmp, 'unfinished');
const X = path.join(tmp, '<b>x&y');
const summaryOf = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')) as Record<string, Record<string, number>>;

beforeAll(async () => {
  expect(await Promise.all([run(A, '0.1'), run(B, '0.001')])).toEqual([0, 0]);
  fs.mkdirSync(U);
  fs.writeFileSync(path.join(U, 'metrics.jsonl'), '{"type":"epoch","epoch":1,"loss":0.9,"val_loss":1.0}\n{"type":"epoch","ep');
  fs.mkdirSync(X);
  fs.copyFileSync(path.join(A, 'summary.json'), path.join(X, 'summary.json'));
});

describe('mlspec compare', () => {
  it('reads the overrides of a run from its spec.mlspec', () => {
    expect(settingsFromSpec('x: 1\n# with --set train.epochs=2 --set schedule=cosine(steps: 10, warmup: 2)\n')).toEqual({ 'train.epochs': '2', schedule: 'cosine(steps: 10, warmup: 2)' });
  });

  it('writes a leaderboard (stdout and compare.html) equal to summary.json, best val_loss first', async () => {
    const out = path.join(tmp, 'report.html');
    const r = await compare(B, A, U, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const [a, b] = [summaryOf(A), summaryOf(B)];
    const better = a.validation!.loss! <= b.validation!.loss! ? 'fast' : 'slow';
    const worse = better === 'fast' ? 'slow' : 'fast';
    // Text: rank, run, status, optimizer.lr (varied), val_loss (the monitor) first among metrics.
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['rank', 'run', 'status', 'optimizer.lr', 'val_loss', 'loss', 'accuracy', 'val_accuracy', 'test_loss', 'test_accuracy']);
    const rows = lines.slice(2).map((l) => l.split(/\s+/));
    expect(rows.map((c) => c[1])).toEqual([better, worse, 'unfinished']);
    expect(rows[2]![2]).toBe('unfinished');
    const summaries: Record<string, Record<string, Record<string, number>>> = { fast: a, slow: b };
    expect(rows[0]![4]).toBe(summaries[better]!.validation!.loss!.toFixed(4));
    expect(rows[1]![3]).toBe(better === 'fast' ? '0.001' : '0.1');

    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<link|<img|https?:\/\//);
    // One pre-sorted table per metric, switched by radio buttons (no script).
    expect((html.match(/<input class="sort-key" type="radio"/g) ?? []).length).toBe(6);
    for (const [k, metric] of ['val_loss', 'loss', 'accuracy', 'val_accuracy', 'test_loss', 'test_accuracy'].entries()) {
      const table = new RegExp(`<table class="board board-${k}" data-sorted-by="${metric}">([\\s\\S]*?)</table>`).exec(html);
      expect(table, metric).not.toBeNull();
      const order = [...table![1]!.matchAll(/data-run="([^"]+)"/g)].map((m) => m[1]);
      expect(order.at(-1)).toBe('unfinished');
      const values = [...table![1]!.matchAll(new RegExp(`data-metric="${metric}" data-value="([^"]+)"`, 'g'))].map((m) => Number(m[1]));
      const max = metric.includes('acc');
      expect(values).toEqual([...values].sort((p, q) => (max ? q - p : p - q)));
    }
    const board = /<table class="board board-0"[\s\S]*?<\/table>/.exec(html)![0];
    for (const [name, summary] of Object.entries(summaries)) {
      const row = new RegExp(`data-run="${name}">([\\s\\S]*?)</tr>`).exec(board)![1]!;
      const cells = Object.fromEntries([...row.matchAll(/data-metric="([^"]+)" data-value="([^"]+)"/g)].map((m) => [m[1]!, Number(m[2])]));
      expect(cells).toEqual({
        loss: summary.train!.loss,
        accuracy: summary.train!.accuracy,
        val_loss: summary.validation!.loss,
        val_accuracy: summary.validation!.accuracy,
        test_loss: summary.test!.loss,
        test_accuracy: summary.test!.accuracy,
      });
    }
    // Settings side by side; curves of every run overlaid (one plot per logged metric).
    expect(html).toMatch(/<tr class="varied"><td class="name">optimizer\.lr \(varied\)<\/td><td class="name">0\.001<\/td><td class="name">0\.1<\/td><td class="name">—<\/td><\/tr>/);
    for (const metric of ['loss', 'accuracy', 'val_loss', 'val_accuracy', 'lr']) {
      const svg = new RegExp(`<svg class="plot"[^>]*aria-label="${metric}"[\\s\\S]*?</svg>`).exec(html);
      expect(svg, metric).not.toBeNull();
      const series = [...svg![0].matchAll(/<path class="series" data-series="([^"]+)"/g)].map((m) => m[1]);
      expect(series).toEqual(metric === 'loss' || metric === 'val_loss' ? ['slow', 'fast', 'unfinished'] : ['slow', 'fast']);
    }
    expect(html).not.toContain('class="plot scatter"');
  });

  it('--monitor re-ranks (accuracy: higher is better); names are escaped; usage errors exit 2', async () => {
    const out = path.join(tmp, 'acc.html');
    const r = await compare(A, B, X, '--monitor', 'val_accuracy', '-o', out);
    expect(r.code, r.stderr).toBe(0);
    const rows = r.stdout.trim().split('\n').slice(2).map((l) => l.split(/\s{2,}/));
    expect(r.stdout.split("\n")[0]!.split(/\s+/)[4]).toBe("val_accuracy");
    const values = rows.map((c) => Number(c[4]));
    expect(values).toEqual([...values].sort((p, q) => q - p));
    const html = fs.readFileSync(out, 'utf8');
    expect(html).toContain('&lt;b&gt;x&amp;y');
    expect(html).not.toContain('<b>x&y');

    expect((await compare(A, B, '-o', out)).code).toBe(2); // exists, no --force
    expect((await compare(A, B, '-o', out, '--force')).code).toBe(0);
    const notRun = await compare(A, path.join(ROOT, 'examples'), '-o', path.join(tmp, 'n.html'));
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/is not a run folder/);
    expect((await compare(path.join(tmp, 'missing'), '-o', path.join(tmp, 'm.html'))).code).toBe(2);
    expect((await compare()).code).toBe(2);
  });
});
