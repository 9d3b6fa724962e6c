/**
 * A run on a `;`-separated gzip file, and on a tab-separated file without a header and with a
 * comment line, equals the run on the plain comma file: the same per-step losses, bit for bit;
 * evaluate and predict read the new data with the same dialect. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-cli-dialect-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mlspec(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: tmp, encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const iris = fs.readFileSync(path.join(ROOT, 'examples/data/iris.csv'), 'utf8');
const header = iris.split('\n')[0]!.split(',');
const spec = (source: string) =>
  fs
    .readFileSync(path.join(ROOT, 'examples/iris.mlspec'), 'utf8')
    .replace('csv("data/iris.csv", label: species, categorical: true)', source)
    .replace('epochs: 150', 'epochs: 3');
const VARIANTS = {
  plain: 'csv("iris.csv", label: species, categorical: true)',
  semicolonGzip: 'csv("iris-semi.csv.gz", label: species, categorical: true, delimiter: ";")',
  headerless: `csv("iris.tsv", label: species, categorical: true, delimiter: "\\t", comment: "#", header: false, columns: [${header.join(', ')}])`,
};
const steps = (name: string) =>
  fs
    .readFileSync(path.join(tmp, `out-${name}`, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string; loss: number })
    .filter((record) => record.type === 'step')
    .map((record) => record.loss);

beforeAll(() => {
  fs.writeFileSync(path.join(tmp, 'iris.csv'), iris);
  fs.writeFileSync(path.join(tmp, 'iris-semi.csv.gz'), zlib.gzipSync(iris.replaceAll(',', ';')));
  fs.writeFileSync(path.join(tmp, 'iris.tsv'), `# iris, no header\n${iris.split('\n').slice(1).join('\n').replaceAll(',', '\t')}`);
  for (const [name, source] of Object.entries(VARIANTS)) fs.writeFileSync(path.join(tmp, `${name}.mlspec`), spec(source));
});

describe('CSV dialects and gzip in mlspec run, evaluate and predict', () => {
  it('check accepts every variant', () => {
    for (const name of Object.keys(VARIANTS)) {
      const r = mlspec('check', `${name}.mlspec`);
      expect(r.status, r.stdout + r.stderr).toBe(0);
    }
  });

  it('each run gives the per-step losses of the plain comma file, bit for bit', () => {
    for (const name of Object.keys(VARIANTS)) {
      const r = mlspec('run', `${name}.mlspec`, '--quiet', '--out', `out-${name}`);
      expect(r.status, r.stderr).toBe(0);
    }
    const plain = steps('plain');
    expect(plain.length).toBeGreaterThan(10);
    expect(steps('semicolonGzip')).toEqual(plain);
    expect(steps('headerless')).toEqual(plain);
  }, 120_000);

  it('evaluate and predict read new data with the spec\'s dialect, gzip included', () => {
    const plain = mlspec('evaluate', 'out-plain', '--data', 'iris.csv');
    const gz = mlspec('evaluate', 'out-semicolonGzip', '--data', 'iris-semi.csv.gz');
    expect(gz.status, gz.stderr).toBe(0);
    const figures = (stdout: string) => stdout.split('\n')[2]!.trim().split(/\s+/).slice(1);
    expect(figures(gz.stdout)).toEqual(figures(plain.stdout));
    expect(figures(plain.stdout)).toHaveLength(2);
    const predictPlain = mlspec('predict', 'out-plain', '--data', 'iris.csv');
    const predictTsv = mlspec('predict', 'out-headerless', '--data', 'iris.tsv');
    expect(predictTsv.status, predictTsv.stderr).toBe(0);
    expect(predictTsv.stdout).toBe(predictPlain.stdout);
  }, 60_000);
});

describe('split files in mlspec run and evaluate', () => {
  it('trains on train.csv, reports on valid.csv and test.csv; split.json names them; evaluate --split test gives the summary\'s test figures', () => {
    const [head, ...body] = iris.trim().split('\n');
    fs.writeFileSync(path.join(tmp, 'train.csv'), [head, ...body.filter((_, i) => i % 5 < 3)].join('\n'));
    fs.writeFileSync(path.join(tmp, 'valid.csv'), [head, ...body.filter((_, i) => i % 5 === 3)].join('\n'));
    fs.writeFileSync(path.join(tmp, 'test.csv'), [head, ...body.filter((_, i) => i % 5 === 4)].join('\n'));
    const source = 'csv(train: "train.csv", validation: "valid.csv", test: "test.csv", label: species, categorical: true)';
    fs.writeFileSync(path.join(tmp, 'files.mlspec'), spec(source).replace(/\n\s*split \{[^}]*\}/, ''));
    const run = mlspec('run', 'files.mlspec', '--quiet', '--out', 'out-files');
    expect(run.status, run.stderr).toBe(0);
    const split = JSON.parse(fs.readFileSync(path.join(tmp, 'out-files', 'split.json'), 'utf8'));
    expect(split.files).toEqual({ train: path.join(tmp, 'train.csv'), validation: path.join(tmp, 'valid.csv'), test: path.join(tmp, 'test.csv') });
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([90, 30, 30]);
    expect(split.test[0]).toBe(120);
    const summary = JSON.parse(fs.readFileSync(path.join(tmp, 'out-files', 'summary.json'), 'utf8'));
    const evaluated = mlspec('evaluate', 'out-files', '--split', 'test', '--json');
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(evaluated.stdout).toContain(String(summary.test.accuracy));
  }, 60_000);
});
