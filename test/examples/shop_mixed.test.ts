/**
 * The mixed-type example (examples/shop_mixed.mlspec: numeric, binary and category columns, two
 * inputs merged in a graph) reaches its stated accuracy through `mlspec run`, and `evaluate` and
 * `predict` read new rows, some with a city the training data never had, through the saved
 * vocabulary (id 0 for the unseen city). Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerComment } from './run-example.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-shop-'));
const out = path.join(tmp, 'run');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mlspec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const NEW_ROWS = path.join(ROOT, 'examples/data/shop_new.csv');

beforeAll(() => {
  const r = mlspec('run', 'examples/shop_mixed.mlspec', '--out', out, '--quiet', '--backend', 'wasm');
  if (r.status !== 0) throw new Error(r.stdout + r.stderr);
});

describe('shop_mixed: a mixed-type table with two inputs', () => {
  it('reaches at least 85% test accuracy, as its header says', () => {
    const source = fs.readFileSync(path.join(ROOT, 'examples/shop_mixed.mlspec'), 'utf8');
    expect(headerComment(source)).toContain('at least 85% test accuracy');
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { test: { accuracy: number } };
    expect(summary.test.accuracy).toBeGreaterThanOrEqual(0.85);
  });

  it('its data is what scripts/make-shop-data.mjs writes, byte for byte', () => {
    const again = path.join(tmp, 'regenerated');
    fs.mkdirSync(again);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts/make-shop-data.mjs'), again], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    for (const name of ['shop.csv', 'shop_new.csv']) {
      expect(fs.readFileSync(path.join(again, name)).equals(fs.readFileSync(path.join(ROOT, 'examples/data', name))), name).toBe(true);
    }
  });

  it('records the vocabulary of the training split in preprocessing.json', () => {
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8')) as {
      features: string[];
      columns: { name: string; kind: string; input: string; vocabulary: string[] | null }[];
    };
    expect(saved.features).toEqual(['age', 'income', 'device', 'city']);
    const city = saved.columns.find((column) => column.name === 'city')!;
    expect(city.kind).toBe('category');
    expect(city.input).toBe('city');
    expect(city.vocabulary).toHaveLength(12);
    expect(city.vocabulary).not.toContain('Atlantis');
    expect(saved.columns.find((column) => column.name === 'device')!.vocabulary).toEqual(['desktop', 'mobile']);
  });

  it('evaluate reads new rows with an unseen city', () => {
    expect(fs.readFileSync(NEW_ROWS, 'utf8')).toContain('Atlantis');
    const r = mlspec('evaluate', out, '--data', NEW_ROWS, '--json');
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { rows: number; accuracy: number };
    expect(result.rows).toBe(12);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.6);
  });

  it('predict gives a class and probabilities for every new row, the unseen city included', () => {
    const r = mlspec('predict', out, '--data', NEW_ROWS);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('line,predicted,p_no,p_yes');
    expect(lines).toHaveLength(13);
    for (const line of lines.slice(1)) {
      const [, predicted, pNo, pYes] = line.split(',');
      expect(['yes', 'no']).toContain(predicted);
      expect(Number(pNo) + Number(pYes)).toBeCloseTo(1, 5);
    }
  });

  it('writes the report, and a run interrupted after 2 epochs resumes from its checkpoint to the weights of an uninterrupted 4-epoch run', () => {
    expect(fs.readFileSync(path.join(out, 'report.html'), 'utf8')).toContain('shop_mixed');
    const whole = path.join(tmp, 'whole');
    const parts = path.join(tmp, 'parts');
    expect(mlspec('run', 'examples/shop_mixed.mlspec', '--out', whole, '--epochs', '4', '--quiet').status).toBe(0);
    expect(mlspec('run', 'examples/shop_mixed.mlspec', '--out', parts, '--epochs', '2', '--quiet').status).toBe(0);
    const resumed = mlspec('run', 'examples/shop_mixed.mlspec', '--resume', parts, '--epochs', '4', '--quiet');
    expect(resumed.status, resumed.stderr).toBe(0);
    const weights = (dir: string) => fs.readFileSync(path.join(dir, 'model', 'weights.bin'));
    expect(weights(parts).equals(weights(whole))).toBe(true);
  });

  it('evaluate --split test reproduces the run\'s test accuracy', () => {
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { test: { accuracy: number } };
    const r = mlspec('evaluate', out, '--split', 'test', '--json');
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { accuracy: number }).accuracy).toBe(summary.test.accuracy);
  });
});
