/**
 * `mlspec evaluate` in-process through main(): iris trained for 3 epochs on the cpu backend,
 * then evaluated on examples/data/iris.csv and on broken copies of it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { RUN_FILES } from '../../src/plan/run-files.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IRIS_CSV = path.join(ROOT, 'examples/data/iris.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-evaluate-'));
const run = path.join(tmp, 'iris-run');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const irisLines = fs.readFileSync(IRIS_CSV, 'utf8').trim().split(/\r?\n/); // the file has CRLF line ends
const irisWith = (name: string, lines: string[]) => {
  fs.writeFileSync(path.join(tmp, name), `${lines.join('\n')}\n`);
  return name;
};

beforeAll(async () => {
  const r = await mlspec('run', path.join(ROOT, 'examples/iris.mlspec'), '--backend', 'cpu', '--epochs', '3', '--out', run, '--quiet');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

describe('mlspec evaluate', () => {
  it('a run folder holds exactly the files plan lists, and preprocessing.json the missing-value fill', () => {
    const files = fs.readdirSync(run, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    const names = files.map((e) => path.relative(run, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
    expect(names.sort()).toEqual(RUN_FILES.map((f) => f.file).sort());
    const preprocessing = JSON.parse(fs.readFileSync(path.join(run, 'preprocessing.json'), 'utf8'));
    expect(preprocessing).toMatchObject({ labels: ['setosa', 'versicolor', 'virginica'], missingFill: null });
  });

  it('prints loss and accuracy that agree with the predictions: accuracy = share right, loss = mean -ln p(true class)', async () => {
    const evaluated = await mlspec('evaluate', run, '--data', IRIS_CSV, '--backend', 'cpu', '--json');
    expect(evaluated.code).toBe(0);
    const result = JSON.parse(evaluated.stdout) as { rows: number; loss: number; accuracy: number };
    expect(result.rows).toBe(150);

    const predicted = await mlspec('predict', run, '--data', IRIS_CSV, '--backend', 'cpu');
    expect(predicted.code).toBe(0);
    const [header, ...rows] = predicted.stdout.trim().split('\n').map((line) => line.split(','));
    const truth = irisLines.slice(1).map((line) => line.split(',')[4]!);
    let right = 0;
    let nll = 0;
    rows.forEach((row, i) => {
      if (row[1] === truth[i]) right += 1;
      nll -= Math.log(Number(row[header!.indexOf(`p_${truth[i]}`)]));
    });
    expect(result.accuracy).toBeCloseTo(right / 150, 10);
    expect(result.loss).toBeCloseTo(nll / 150, 4);
  });

  it('prints a table on stdout by default, and what it evaluated on stderr', async () => {
    const r = await mlspec('evaluate', run, '--data', IRIS_CSV, '--backend', 'cpu');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^split +loss +accuracy$/);
    expect(lines[2]).toMatch(/^iris\.csv +\d\.\d{4} +\d\.\d{4}\s*$/);
    expect(r.stderr).toContain(`150 rows of ${IRIS_CSV}`);
  });

  it('bad data: a missing column or an unknown class is a data error with file, line and column (exit 1)', async () => {
    const noColumn = irisWith('no-petal-width.csv', irisLines.map((line) => line.split(',').filter((_, i) => i !== 3).join(',')));
    const missing = await mlspec('evaluate', run, '--data', noColumn, '--backend', 'cpu');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^\S*no-petal-width\.csv:1: error\[E0515\]: `\S*no-petal-width\.csv` has no column `petal_width`/);

    const unknown = irisWith('daisy.csv', [...irisLines.slice(0, 4), '5.0,3.0,1.5,0.2,daisy']);
    const r = await mlspec('evaluate', run, '--data', unknown, '--backend', 'cpu');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^\S*daisy\.csv:5:5: error\[E0517\]: .*the class `daisy` is not one of the model's classes/);

    const cell = irisWith('cell.csv', [...irisLines.slice(0, 3), '5.0,abc,1.5,0.2,setosa']);
    expect((await mlspec('evaluate', run, '--data', cell, '--backend', 'cpu')).stderr).toMatch(/^\S*cell\.csv:4:2: error\[E0511\]/);
  });

  it('every missing column and every bad cell is reported at once, one line each', async () => {
    const twoGone = irisWith('two-gone.csv', irisLines.map((line) => line.split(',').slice(2).join(',')));
    const r = await mlspec('evaluate', run, '--data', twoGone, '--backend', 'cpu');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/two-gone\.csv:1: error\[E0515\]: .* has no column `sepal_length`/),
      expect.stringMatching(/two-gone\.csv:1: error\[E0515\]: .* has no column `sepal_width`/),
    ]);
    const cells = irisWith('cells.csv', [irisLines[0]!, '5.0,abc,1.5,0.2,setosa', '5.0,3.0,x,0.2,setosa', ',3.0,1.5,0.2,setosa']);
    const bad = await mlspec('evaluate', run, '--data', cells, '--backend', 'cpu');
    expect(bad.stderr.trim().split('\n').map((line) => /:(\d+:\d+): error\[(E\d+)\]/.exec(line)?.slice(1).join(' '))).toEqual(['2:2 E0511', '3:3 E0511', '4:1 E0510']);
  });

  it('data without the label column cannot be evaluated (exit 1)', async () => {
    const unlabelled = irisWith('unlabelled.csv', irisLines.map((line) => line.split(',').slice(0, 4).join(',')));
    const r = await mlspec('evaluate', run, '--data', unlabelled, '--backend', 'cpu');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toContain('has no label column `species`');
  });

  it('split.json names the rows of each split; --split test scores them exactly as the run did', async () => {
    const split = JSON.parse(fs.readFileSync(path.join(run, 'split.json'), 'utf8')) as Record<string, unknown> & {
      train: number[];
      validation: number[];
      test: number[];
      lines: { train: number[]; validation: number[]; test: number[] };
    };
    expect(split).toMatchObject({ version: 1, source: 'csv', file: IRIS_CSV, seed: 7, shuffle: true, stratify: true, rows: 150 });
    // iris, 0.7/0.15/0.15 stratified: 7 validation and 7 test rows of each of its 3 classes.
    expect([split.train.length, split.validation.length, split.test.length]).toEqual([108, 21, 21]);
    expect([...split.train, ...split.validation, ...split.test].sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i));
    // No rows are dropped: data row i is on line i + 2 (line 1 is the header).
    expect(split.lines.test).toEqual(split.test.map((row) => row + 2));
    const species = (row: number) => irisLines[row + 1]!.split(',')[4];
    expect(split.test.map(species).filter((s) => s === 'setosa')).toHaveLength(7);

    const summary = JSON.parse(fs.readFileSync(path.join(run, 'summary.json'), 'utf8')) as { test: Record<string, number>; validation: Record<string, number> };
    for (const name of ['test', 'validation'] as const) {
      const r = await mlspec('evaluate', run, '--split', name, '--backend', 'cpu', '--json');
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(result).toMatchObject({ split: name, rows: 21, ...summary[name] });
    }
    const table = await mlspec('evaluate', run, '--split', 'test', '--backend', 'cpu');
    expect(table.stdout.split('\n')[2]).toMatch(/^test +\d\.\d{4} +\d\.\d{4}\s*$/);
    expect(table.stderr).toContain('21 rows of the test split');
  });

  it('--split works on generated data too: it is generated again from split.json\'s seed', async () => {
    const spec = path.join(tmp, 'generated.mlspec');
    fs.writeFileSync(
      spec,
      'model {\n  input(shape: [4])\n  dense(1)\n}\ndata {\n  source: random(samples: 64, features: 4)\n  split { train: 0.5, validation: 0.25, test: 0.25 }\n}\nloss: mse\noptimizer: adam(lr: 0.01)\ntrain { epochs: 1 }\n',
    );
    const out = path.join(tmp, 'generated-run');
    const trained = await mlspec('run', spec, '--backend', 'cpu', '--out', out, '--quiet', '--seed', '5');
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'split.json'), 'utf8'))).toMatchObject({ source: 'random', file: null, lines: null, seed: 5 });
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { test: Record<string, number> };
    const r = await mlspec('evaluate', out, '--split', 'test', '--backend', 'cpu', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ split: 'test', rows: 16, ...summary.test });
  });

  it('--split refuses a changed data file (exit 1), an unknown split, and --data together with --split (exit 2)', async () => {
    const copy = path.join(tmp, 'copy');
    fs.mkdirSync(path.join(copy, 'data'), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'examples/iris.mlspec'), path.join(copy, 'iris.mlspec'));
    fs.copyFileSync(IRIS_CSV, path.join(copy, 'data', 'iris.csv'));
    const copyRun = path.join(tmp, 'copy-run');
    const trained = await mlspec('run', path.join(copy, 'iris.mlspec'), '--backend', 'cpu', '--epochs', '1', '--out', copyRun, '--quiet');
    expect(trained.code, trained.stderr).toBe(0);
    fs.appendFileSync(path.join(copy, 'data', 'iris.csv'), '5.0,3.0,1.5,0.2,setosa\n');
    const changed = await mlspec('evaluate', copyRun, '--split', 'test', '--backend', 'cpu');
    expect(changed).toMatchObject({ code: 1, stdout: '' });
    expect(changed.stderr).toMatch(/iris\.csv changed since the run .*so the run's test rows are no longer in it/);

    expect((await mlspec('evaluate', run, '--split', 'holdout', '--backend', 'cpu')).code).toBe(2);
    const both = await mlspec('evaluate', run, '--split', 'test', '--data', IRIS_CSV, '--backend', 'cpu');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('pass either --data FILE.csv');
  });

  it('usage problems exit 2: no --data, a missing data file, not a run folder, a bad backend; --help has examples', async () => {
    expect((await mlspec('evaluate', run)).code).toBe(2);
    const noFile = await mlspec('evaluate', run, '--data', 'nope.csv', '--backend', 'cpu');
    expect(noFile).toMatchObject({ code: 2, stdout: '' });
    expect(noFile.stderr).toContain('cannot read nope.csv (no such file)');
    const notRun = await mlspec('evaluate', tmp, '--data', IRIS_CSV, '--backend', 'cpu');
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toContain('is not a finished run');
    expect((await mlspec('evaluate', run, '--data', IRIS_CSV, '--backend', 'abacus')).code).toBe(2);
    const help = await mlspec('evaluate', '--help');
    expect(help.stdout).toContain('$ mlspec evaluate runs/iris --data examples/data/iris.csv');
  });
});
