/**
 * `mlspec predict` in-process through main(): iris (classification) trained for 3 epochs on the
 * cpu backend, a small CSV regression with `missing: drop`, and a run on generated data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { csvField, predictionTable } from '../../src/cli/commands/predict.js';
import { main } from '../../src/cli/main.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IRIS_CSV = path.join(ROOT, 'examples/data/iris.csv');
const CLASSES = ['setosa', 'versicolor', 'virginica'];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-predict-'));
const irisRun = path.join(tmp, 'iris-run');
const regressionRun = path.join(tmp, 'regression-run');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const csvRows = (text: string) => text.trim().split('\n').map((line) => line.split(','));

beforeAll(async () => {
  const iris = await mlspec('run', path.join(ROOT, 'examples/iris.mlspec'), '--backend', 'cpu', '--epochs', '3', '--out', irisRun, '--quiet');
  expect(iris).toMatchObject({ code: 0, stderr: '' });
  // y = 2a - b, with one empty cell that `missing: drop` drops.
  const rows = ['a,b,y'];
  for (let i = 0; i < 40; i++) {
    const a = (i % 7) / 7;
    const b = (i % 5) / 5;
    rows.push(i === 9 ? `${a},,${2 * a - b}` : `${a},${b},${2 * a - b}`);
  }
  fs.writeFileSync(path.join(tmp, 'line.csv'), `${rows.join('\n')}\n`);
  fs.writeFileSync(
    path.join(tmp, 'line.mlspec'),
    'model {\n  input(shape: [2])\n  dense(1)\n}\ndata {\n  source: csv("line.csv", label: y, missing: drop)\n  split { train: 0.8, validation: 0.2, test: 0 }\n}\nloss: mse\noptimizer: adam(lr: 0.05)\ntrain {\n  epochs: 2\n  batch: 8\n}\n',
  );
  const regression = await mlspec('run', path.join(tmp, 'line.mlspec'), '--backend', 'cpu', '--out', regressionRun, '--quiet');
  expect(regression).toMatchObject({ code: 0, stderr: '' });
});

describe('mlspec predict', () => {
  it('iris: one row per input row with its line, the most probable class and every class probability', async () => {
    const r = await mlspec('predict', irisRun, '--data', IRIS_CSV, '--backend', 'cpu');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const [header, ...rows] = csvRows(r.stdout);
    expect(header).toEqual(['line', 'predicted', 'p_setosa', 'p_versicolor', 'p_virginica']);
    expect(rows).toHaveLength(150);
    expect(rows.map((row) => Number(row[0]))).toEqual(Array.from({ length: 150 }, (_, i) => i + 2)); // line 1 is the header
    for (const row of rows) {
      const p = row.slice(2).map(Number);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(row[1]).toBe(CLASSES[p.indexOf(Math.max(...p))]);
    }
  });

  it('needs no label column, and -o writes the same CSV to a file', async () => {
    const withLabels = await mlspec('predict', irisRun, '--data', IRIS_CSV, '--backend', 'cpu');
    const lines = fs.readFileSync(IRIS_CSV, 'utf8').trim().split(/\r?\n/);
    fs.writeFileSync(path.join(tmp, 'features.csv'), `${lines.map((line) => line.split(',').slice(0, 4).join(',')).join('\n')}\n`);
    const r = await mlspec('predict', irisRun, '--data', 'features.csv', '--backend', 'cpu', '-o', 'out.csv');
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'mlspec predict: wrote 150 predictions to out.csv\n' });
    expect(fs.readFileSync(path.join(tmp, 'out.csv'), 'utf8')).toBe(withLabels.stdout);
  });

  it('ignores the label column: a bad or empty label does not stop a prediction', async () => {
    const lines = fs.readFileSync(IRIS_CSV, 'utf8').trim().split(/\r?\n/);
    const broken = lines.map((line, i) => (i === 3 ? line.replace(/,[a-z]+$/, ',daisy') : i === 5 ? line.replace(/,[a-z]+$/, ',') : line));
    fs.writeFileSync(path.join(tmp, 'bad-labels.csv'), `${broken.join('\n')}\n`);
    const clean = await mlspec('predict', irisRun, '--data', IRIS_CSV, '--backend', 'cpu');
    const r = await mlspec('predict', irisRun, '--data', 'bad-labels.csv', '--backend', 'cpu');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
  });

  it('-o refuses to overwrite an existing file without --force (exit 2, the file unchanged)', async () => {
    fs.writeFileSync(path.join(tmp, 'mine.csv'), 'my own data\n');
    const refused = await mlspec('predict', irisRun, '--data', IRIS_CSV, '--backend', 'cpu', '-o', 'mine.csv');
    expect(refused).toEqual({ code: 2, stdout: '', stderr: 'mlspec predict: mine.csv already exists; pass --force to overwrite it or choose another -o.\n' });
    expect(fs.readFileSync(path.join(tmp, 'mine.csv'), 'utf8')).toBe('my own data\n');
    const forced = await mlspec('predict', irisRun, '--data', IRIS_CSV, '--backend', 'cpu', '-o', 'mine.csv', '--force');
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(path.join(tmp, 'mine.csv'), 'utf8')).toMatch(/^line,predicted,p_setosa/);
  });

  it('regression: the predicted value per row; a row dropped by `missing: drop` is left out', async () => {
    fs.writeFileSync(path.join(tmp, 'new.csv'), 'a,b\n0.5,0.5\n0.25,\n1,0\n');
    const r = await mlspec('predict', regressionRun, '--data', 'new.csv', '--backend', 'cpu');
    expect(r.code).toBe(0);
    const [header, ...rows] = csvRows(r.stdout);
    expect(header).toEqual(['line', 'predicted']);
    expect(rows.map((row) => row[0])).toEqual(['2', '4']);
    for (const row of rows) expect(Number.isFinite(Number(row[1]))).toBe(true);
  });

  it('`missing: mean` fills empty cells of new data with the means saved from training', async () => {
    const spec = fs.readFileSync(path.join(tmp, 'line.mlspec'), 'utf8').replace('missing: drop', 'missing: mean');
    fs.writeFileSync(path.join(tmp, 'line-mean.mlspec'), spec);
    const meanRun = path.join(tmp, 'mean-run');
    expect((await mlspec('run', path.join(tmp, 'line-mean.mlspec'), '--backend', 'cpu', '--out', meanRun, '--quiet')).code).toBe(0);
    const { missingFill } = JSON.parse(fs.readFileSync(path.join(meanRun, 'preprocessing.json'), 'utf8')) as { missingFill: number[] };
    expect(missingFill).toHaveLength(2);
    // The new file's own mean of b would be 0.9; the saved training mean must be used instead.
    fs.writeFileSync(path.join(tmp, 'gap.csv'), 'a,b\n0.5,\n0.1,0.9\n');
    fs.writeFileSync(path.join(tmp, 'filled.csv'), `a,b\n0.5,${missingFill[1]}\n0.1,0.9\n`);
    const gap = csvRows((await mlspec('predict', meanRun, '--data', 'gap.csv', '--backend', 'cpu')).stdout);
    const filled = csvRows((await mlspec('predict', meanRun, '--data', 'filled.csv', '--backend', 'cpu')).stdout);
    expect(gap).toEqual(filled);
  });

  it('bad data is a data error with file and line (exit 1)', async () => {
    fs.writeFileSync(path.join(tmp, 'short.csv'), 'sepal_length,sepal_width,petal_length\n5,3,1\n');
    const r = await mlspec('predict', irisRun, '--data', 'short.csv', '--backend', 'cpu');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(/short\.csv:1: error\[E0515\]: .* has no column `petal_width`/);
  });

  it('a run on generated data, a missing --data and a folder that is no run are usage errors (exit 2)', async () => {
    const classic = path.join(tmp, 'classic-run');
    expect((await mlspec('run', path.join(ROOT, 'examples/classic.mlspec'), '--backend', 'cpu', '--epochs', '1', '--out', classic, '--quiet')).code).toBe(0);
    const generated = await mlspec('predict', classic, '--data', IRIS_CSV, '--backend', 'cpu');
    expect(generated).toMatchObject({ code: 2, stdout: '' });
    expect(generated.stderr).toContain('trained on generated `random` data');
    expect((await mlspec('predict', irisRun)).code).toBe(2);
    expect((await mlspec('predict', path.join(tmp, 'nothing'), '--data', IRIS_CSV)).code).toBe(2);
    const help = await mlspec('predict', '--help');
    expect(help.stdout).toContain('$ mlspec predict runs/iris --data examples/data/iris.csv -o predictions.csv');
  });
});

describe('predictionTable', () => {
  it('turns logits into probabilities with a softmax', () => {
    const [, row] = predictionTable({ values: new Float32Array([0, Math.log(3), 0]), perRow: 3 }, [7], {
      classification: true,
      fromLogits: true,
      classNames: ['a', 'b', 'c'],
    });
    // e^0 : e^ln3 : e^0 = 1 : 3 : 1
    expect(row).toEqual(['7', 'b', '0.2', '0.6', '0.2']);
  });

  it('gives both classes of a single sigmoid output (a logit, or a probability)', () => {
    const task = { classification: true as const, classNames: ['no', 'yes'] };
    // sigmoid(ln 3) = 3 / 4
    expect(predictionTable({ values: new Float32Array([Math.log(3)]), perRow: 1 }, [2], { ...task, fromLogits: true })).toEqual([
      ['line', 'predicted', 'p_no', 'p_yes'],
      ['2', 'yes', '0.25', '0.75'],
    ]);
    // Exactly at 0.5 is class 0, as in the accuracy metric.
    expect(predictionTable({ values: new Float32Array([0]), perRow: 1 }, [2], { ...task, fromLogits: true })[1]).toEqual(['2', 'no', '0.5', '0.5']);
    expect(predictionTable({ values: new Float32Array([0.25]), perRow: 1 }, [3], { ...task, fromLogits: false })[1]).toEqual(['3', 'no', '0.75', '0.25']);
  });

  it('numbers the outputs of a regression with several targets', () => {
    expect(predictionTable({ values: new Float32Array([1.5, -2, 3, 4]), perRow: 2 }, [2, 5], { classification: false })).toEqual([
      ['line', 'predicted_1', 'predicted_2'],
      ['2', '1.5', '-2'],
      ['5', '3', '4'],
    ]);
  });
});

describe('csvField', () => {
  it('quotes fields with commas, quotes or line breaks', () => {
    expect(csvField('setosa')).toBe('setosa');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });
});
