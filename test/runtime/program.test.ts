/**
 * The training loop end to end, through the real front end: exact semantics on a problem small
 * enough to compute by hand, reproducibility, saved models, divergence and output rules.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { prepareData } from '../../src/runtime/data/prepare.js';
import { RunError } from '../../src/runtime/errors.js';
import { loadModel } from '../../src/runtime/model-io.js';
import { runTraining, type RunOptions } from '../../src/runtime/program.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/train');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-program-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function specFile(text: string): string {
  const file = path.join(FIXTURES, `.generated-${process.pid}-${counter++}.mlspec`);
  fs.writeFileSync(file, text);
  return file;
}
afterAll(() => {
  for (const f of fs.readdirSync(FIXTURES)) if (f.startsWith(`.generated-${process.pid}-`)) fs.rmSync(path.join(FIXTURES, f));
});

async function train(text: string, options: Partial<RunOptions> = {}) {
  const file = specFile(text);
  const { ir, diagnostics } = analyze(text, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((d) => d.message)).toEqual([]);
  const out = options.out ?? path.join(tmp, `run-${counter++}`);
  const result = await runTraining(evaluatePlan(lowerSpec(ir!, text), file), {
    backend: 'cpu',
    cwd: tmp,
    quiet: true,
    json: false,
    force: false,
    handleSignals: false,
    ...options,
    out,
  });
  const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
  return { ...result, lines, steps: lines.filter((l) => l.type === 'step'), epochs: lines.filter((l) => l.type === 'epoch') };
}

/** y = 2x on x = 1, 2, 3; one weight w, no bias, starting at 0. */
const LINE = (optimizer: string, batch: string, epochs = 3) => `
model {
  input(shape: [1])
  dense(1, use_bias: false, initializer: zeros)
}
data {
  source: csv("line.csv", label: y)
  split { train: 1.0 }
  shuffle: false
}
loss: mse
optimizer: ${optimizer}
train {
  epochs: ${epochs}
  batch: ${batch}
  seed: 1
}
`;

async function finalWeight(out: string): Promise<number> {
  const model = await loadModel(path.join(out, 'model'));
  const w = (model.getWeights()[0]!.dataSync() as Float32Array)[0]!;
  model.dispose();
  return w;
}

describe('full-batch gradient descent', () => {
  it('makes one update per epoch over the whole training split, as computed by hand', async () => {
    // L(w) = mean((w x - y)^2); dL/dw = 2 (w mean(x^2) - mean(xy)) = 2 (14/3 w - 28/3).
    // w0 = 0: L = mean(y^2) = 56/3, g = -56/3, w1 = 0 + 0.1 * 56/3 = 1.866667
    // w1: L = mean((1.866667x - 2x)^2) = (0.133333)^2 * 14/3 = 0.082963, g = 2(14/3 * 1.866667 - 28/3) = -1.244444, w2 = 1.991111
    // w2: L = (0.008889)^2 * 14/3 = 0.000369, g = 2(14/3 * 1.991111 - 28/3) = -0.082963, w3 = 1.999407
    const run = await train(LINE('gd(lr: 0.1)', 'full'));
    expect(run.steps).toHaveLength(3);
    const losses = run.steps.map((s) => s.loss as number);
    expect(losses[0]).toBeCloseTo(56 / 3, 4);
    expect(losses[1]).toBeCloseTo(0.0829630, 5);
    expect(losses[2]).toBeCloseTo(0.000368724, 6);
    expect(await finalWeight(run.out)).toBeCloseTo(1.9994074, 5);
  });

  it('ignores a mini-batch size: gd always uses the whole split', async () => {
    const run = await train(LINE('gd(lr: 0.1)', '1'));
    expect(run.steps).toHaveLength(3);
  });
});

describe('mini-batch SGD', () => {
  it('takes ceil(n / batch) steps per epoch, batch 1 allowed', async () => {
    const run = await train(LINE('sgd(lr: 0.01)', '1', 2));
    expect(run.steps).toHaveLength(6);
    expect(run.epochs).toHaveLength(2);
    const run2 = await train(LINE('sgd(lr: 0.01)', '2', 2));
    expect(run2.steps).toHaveLength(4);
  });

  it('visits the samples in order without shuffling: first step is sample 1', async () => {
    // w0 = 0, batch (x=1, y=2): loss = 4, g = 2 * 1 * (0 - 2) = -4, w1 = 0.04.
    const run = await train(LINE('sgd(lr: 0.01)', '1', 1));
    expect(run.steps[0]!.loss).toBeCloseTo(4, 6);
    // batch (x=2, y=4) at w1 = 0.04: loss = (0.08 - 4)^2 = 15.3664
    expect(run.steps[1]!.loss).toBeCloseTo(15.3664, 4);
  });

  it('shuffles each epoch in a seeded order when shuffle is on', async () => {
    const text = LINE('sgd(lr: 0.000001)', '1', 4).replace('shuffle: false', 'shuffle: true');
    const a = await train(text);
    const b = await train(text);
    expect(b.steps).toEqual(a.steps);
    // With a tiny learning rate each step's loss identifies its sample (4, 16 or 36).
    const order = a.steps.map((s) => Math.round(Math.sqrt(s.loss as number) / 2));
    for (let e = 0; e < 4; e++) expect(order.slice(e * 3, e * 3 + 3).sort()).toEqual([1, 2, 3]);
    const epochs = new Set([0, 1, 2, 3].map((e) => order.slice(e * 3, e * 3 + 3).join()));
    expect(epochs.size).toBeGreaterThan(1);
  });
});

describe('reproducibility and saved results', () => {
  const iris = fs.readFileSync(path.join(ROOT, 'examples/iris.mlspec'), 'utf8').replace('"data/iris.csv"', `"${path.join(ROOT, 'examples/data/iris.csv')}"`);

  it('gives identical metrics.jsonl for the same spec, seed and backend', async () => {
    const a = await train(iris, { epochs: 2 });
    const b = await train(iris, { epochs: 2 });
    expect(b.steps.length).toBeGreaterThan(10);
    expect(b.steps).toEqual(a.steps);
    expect(b.epochs.map(({ time_s: _, ...rest }) => rest)).toEqual(a.epochs.map(({ time_s: _, ...rest }) => rest));
    const c = await train(iris, { epochs: 2, seed: 8 });
    expect(c.steps).not.toEqual(a.steps);
  });

  it('saves a model that tf.loadLayersModel loads and that predicts what the run measured', async () => {
    const run = await train(iris, { epochs: 3 });
    const model = await loadModel(path.join(run.out, 'model'));
    const pre = JSON.parse(fs.readFileSync(path.join(run.out, 'preprocessing.json'), 'utf8'));
    expect(pre.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    const data = prepareData(pre.data, { baseDir: ROOT, seed: 7 });
    const pred = model.predict(data.test!.x) as tf.Tensor;
    const correct = tf.tidy(() => pred.argMax(-1).equal(data.test!.y.cast('int32')).sum().dataSync()[0]!);
    expect(correct / data.test!.x.shape[0]!).toBeCloseTo(run.summary.test!.accuracy!, 6);
    pred.dispose();
    model.dispose();
  });
});

describe('divergence and outputs', () => {
  it('stops at the first non-finite loss, naming epoch and step, exit code 3', async () => {
    const error = await train(LINE('sgd(lr: 1e30)', '1', 5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).exitCode).toBe(3);
    expect((error as RunError).message).toMatch(/^The loss became (NaN|Infinity) at epoch 1, step \d+ \(last finite loss [\d.e+]+\); lower the learning rate/);
  });

  it('refuses to write into a folder that holds an earlier run', async () => {
    const out = path.join(tmp, 'taken');
    await train(LINE('gd(lr: 0.1)', 'full', 1), { out });
    const error = await train(LINE('gd(lr: 0.1)', 'full', 1), { out }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/already holds files of an earlier run.*--force/);
    await expect(train(LINE('gd(lr: 0.1)', 'full', 1), { out, force: true })).resolves.toBeDefined();
  });
});
