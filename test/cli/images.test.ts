/**
 * An images(...) run end to end through the CLI: check, run, evaluate (the run's own test split,
 * a class folder, a flat folder refused for lack of labels, an unknown class refused), predict (one
 * file, a flat folder, rows named by file) and the PyTorch target's E0702 for JPEG files. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const DIGITS = path.join(ROOT, 'examples/data/digit_images');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-cli-images-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mlspec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Copies the shipped images of `digits` into tmp/name/<digit>/ (or flat into tmp/name/). */
function copyDigits(name: string, digits: string[], flat = false): void {
  for (const digit of digits) {
    const to = flat ? path.join(tmp, name) : path.join(tmp, name, digit);
    fs.mkdirSync(to, { recursive: true });
    for (const file of fs.readdirSync(path.join(DIGITS, digit))) fs.copyFileSync(path.join(DIGITS, digit, file), path.join(to, file));
  }
}

beforeAll(() => {
  copyDigits('train', ['0', '1', '7']);
  copyDigits('sevens', ['7'], true);
  copyDigits('unknown', ['3']);
  fs.writeFileSync(
    path.join(tmp, 'digits.mlspec'),
    fs
      .readFileSync(path.join(ROOT, 'examples/digits_images.mlspec'), 'utf8')
      .replace('"data/digit_images"', '"train"')
      .replace('dense(10,', 'dense(3,')
      .replace('epochs: 12', 'epochs: 4'),
  );
});

describe('mlspec with an image folder', () => {
  it('checks, trains, and evaluates its own test split and a class folder', () => {
    const check = mlspec('check', 'digits.mlspec');
    expect(check.stdout + check.stderr).toContain('no problems');
    const run = mlspec('run', 'digits.mlspec', '--quiet', '--out', 'out');
    expect(run.status, run.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'summary.json'), 'utf8'));
    expect(summary.test.accuracy).toBeGreaterThan(0.8);
    const split = JSON.parse(fs.readFileSync(path.join(tmp, 'out', 'split.json'), 'utf8'));
    expect([split.source, split.file, split.rows]).toEqual(['images', path.join(tmp, 'train'), 150]);
    const own = mlspec('evaluate', 'out', '--split', 'test', '--json');
    expect(own.status, own.stderr).toBe(0);
    expect(JSON.parse(own.stdout)).toMatchObject({ rows: 30, accuracy: summary.test.accuracy, loss: summary.test.loss });
    const folder = mlspec('evaluate', 'out', '--data', 'train', '--json');
    expect(folder.status, folder.stderr).toBe(0);
    expect(JSON.parse(folder.stdout).rows).toBe(150);
  }, 120_000);

  it('predicts one file and a flat folder, naming rows by file; evaluate refuses unlabelled or unknown classes', () => {
    const one = mlspec('predict', 'out', '--data', path.join('sevens', '0007.png'));
    expect(one.status, one.stderr).toBe(0);
    const [header, row] = one.stdout.trim().split('\n');
    expect(header).toBe('file,predicted,p_0,p_1,p_7');
    expect(row).toMatch(/^0007\.png,7,/);
    const flat = mlspec('predict', 'out', '--data', 'sevens');
    const rows = flat.stdout.trim().split('\n').slice(1);
    expect(rows.map((r) => r.split(',')[0])).toEqual(fs.readdirSync(path.join(tmp, 'sevens')).sort());
    expect(rows.filter((r) => r.split(',')[1] === '7').length).toBeGreaterThanOrEqual(45);
    const unlabelled = mlspec('evaluate', 'out', '--data', 'sevens');
    expect([unlabelled.status, unlabelled.stderr.trim()]).toEqual([1, 'mlspec evaluate: sevens has no class subfolders, so its images have no labels; evaluate needs a folder with one subfolder per class (predict does not).']);
    const unknown = mlspec('evaluate', 'out', '--data', 'unknown');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('E0517');
    expect(unknown.stderr).toContain("has class folder `3`, which is not one of the model's classes (`0`, `1`, `7`)");
  }, 60_000);

  it('the PyTorch target refuses an image folder with JPEG files at the source and writes nothing', () => {
    const r = mlspec('compile', 'digits.mlspec', '--target', 'pytorch', '-o', 'torch');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/digits\.mlspec:17:11: error\[E0702\]: The PyTorch target reads PNG images only, but the image folder 'train' holds 30 JPEG files \(the first: '0\/0036\.jpg'\)/);
    expect(fs.existsSync(path.join(tmp, 'torch'))).toBe(false);
  });
});
