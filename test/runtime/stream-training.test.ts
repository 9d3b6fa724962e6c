/**
 * The training loop's batch seam (batch-source.ts) and streamed data end to end: data in memory
 * gives the loop exactly the batches it always gathered (the per-step losses of a run equal those
 * of a loop fed by an independent reference gathering), and a small file forced to stream trains.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import type { TrainBatchSource } from '../../src/runtime/batch-source.js';
import { prepareStreamedCsv } from '../../src/runtime/data/csv-stream-dataset.js';
import { prepareData } from '../../src/runtime/data/prepare.js';
import { runTraining } from '../../src/runtime/program.js';
import { createRng, deriveSeed, permutation } from '../../src/runtime/rng.js';
import { runTrainingLoop } from '../../src/runtime/loop-steps.js';
import { newLoopPosition, type TrainLoopContext } from '../../src/runtime/train.js';
import { compileSpecFiles, runNode, scratchDir, stepLines, transpileFolder, writeCompiled } from '../emit/emit-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
// Inside the repository, so that a compiled program finds node_modules.
const tmp = scratchDir('stream-training');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
fs.copyFileSync(path.join(ROOT, 'examples/data/iris.csv'), path.join(tmp, 'iris.csv'));

const SPEC = (csvOptions: string, epochs: number) => `
model {
  input(shape: [4])
  dense(16, activation: relu)
  dense(3, activation: softmax)
}
data {
  source: csv("iris.csv", label: species, categorical: true${csvOptions})
  normalize: zscore
  split { validation: 0.2, test: 0.2 }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.02)
train {
  epochs: ${epochs}
  batch: 16
  seed: 3
  metrics: [accuracy]
}
`;

function planOf(text: string) {
  const file = path.join(tmp, `spec-${Math.random().toString(36).slice(2)}.mlspec`);
  fs.writeFileSync(file, text);
  const { ir, diagnostics } = analyze(text, file);
  expect(diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
  return evaluatePlan(lowerSpec(ir!, text), file);
}

async function run(text: string) {
  const out = path.join(tmp, `run-${Math.random().toString(36).slice(2)}`);
  const result = await runTraining(planOf(text), { backend: 'cpu', cwd: tmp, quiet: true, json: false, force: false, handleSignals: false, out });
  const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
  return { ...result, steps: lines.filter((l) => l.type === 'step').map((l) => l.loss as number) };
}

describe('the batch seam', () => {
  it('data in memory trains on the batches of the seeded permutation, gathered batch by batch, as before the seam', async () => {
    const text = SPEC('', 2);
    const { steps } = await run(text);
    // The reference: the rows of permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch))), cut into batches.
    const plan = planOf(text);
    const seed = 3;
    const data = prepareData(plan.data, { baseDir: plan.dataBaseDir, seed });
    const n = data.train.x.shape[0]!;
    const reference: TrainBatchSource = {
      rows: n,
      epoch: async function* (epoch, batchSize) {
        const order = permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch)));
        for (let start = 0; start < n; start += batchSize) {
          const index = tf.tensor1d(order.slice(start, start + batchSize), 'int32');
          const x = tf.gather(data.train.x, index);
          const y = tf.gather(data.train.y, index);
          index.dispose();
          yield { x, y, release: () => tf.dispose([x, y]) };
        }
      },
    };
    const losses: number[] = [];
    const ctx: TrainLoopContext = {
      plan,
      data,
      built: plan.buildModel(seed),
      seed,
      epochs: 2,
      position: newLoopPosition(),
      programFingerprint: {},
      observer: { step: (info) => losses.push(info.loss) },
      best: null,
      batches: reference,
    };
    await runTrainingLoop(ctx);
    expect(losses.length).toBe(2 * Math.ceil(n / 16));
    expect(losses).toEqual(steps);
  });
});

describe('streamed data', () => {
  it('a small file forced to stream trains, learns, and leaves no split.json', async () => {
    const { summary, out, steps } = await run(SPEC(', stream: true, shuffle_buffer: 40', 40));
    // 150 rows, about 60% train: the epoch has every training row once.
    expect(steps.length % 40).toBe(0);
    expect(summary.test!.accuracy).toBeGreaterThan(0.8);
    expect(steps[steps.length - 1]!).toBeLessThan(steps[0]!);
    expect(fs.existsSync(path.join(out, 'split.json'))).toBe(false);
    const pre = JSON.parse(fs.readFileSync(path.join(out, 'preprocessing.json'), 'utf8'));
    expect(pre.labels).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(pre.normalization.kind).toBe('zscore');
    // The same run again: the same losses.
    expect((await run(SPEC(', stream: true, shuffle_buffer: 40', 40))).steps).toEqual(steps);
  });

  it('a loop paused inside an epoch and continued trains on the same streamed batches as one that never paused', async () => {
    const losses = async (pauseAt: number | null): Promise<number[]> => {
      // A fresh plan each time: the optimizer holds its state.
      const plan = planOf(SPEC(', stream: true, shuffle_buffer: 40', 2));
      const data = await prepareStreamedCsv(plan.data.source as never, plan.data, { baseDir: plan.dataBaseDir, seed: 3 });
      const seen: number[] = [];
      let paused = false;
      const ctx: TrainLoopContext = {
        plan,
        data,
        built: plan.buildModel(3),
        seed: 3,
        epochs: 2,
        position: newLoopPosition(),
        programFingerprint: {},
        observer: {
          step: (info) => seen.push(info.loss),
          shouldPause: () => !paused && seen.length === pauseAt && (paused = true),
        },
        best: null,
        batches: data.trainStream,
      };
      await runTrainingLoop(ctx);
      if (pauseAt !== null) {
        expect(ctx.position.batch).toBeGreaterThan(0);
        await runTrainingLoop(ctx);
      }
      ctx.built.model.dispose();
      return seen;
    };
    const whole = await losses(null);
    expect(await losses(3)).toEqual(whole);
  });

  it('refuses full-batch gradient descent on streamed data at run time too (check refuses it with `stream: true`)', async () => {
    // As a file over 512 MiB is: streamed though the spec does not say so (check cannot see it).
    const text = SPEC('', 1).replace('adam(lr: 0.02)', 'gd(lr: 0.1)');
    const file = path.join(tmp, 'gd.mlspec');
    fs.writeFileSync(file, text);
    const { ir } = analyze(text, file);
    const description = lowerSpec(ir!, text);
    const source = description.data.source as { stream?: boolean | null };
    source.stream = true;
    expect(description.source.args[0]).toBe(source);
    const out = path.join(tmp, 'gd-run');
    await expect(runTraining(evaluatePlan(description, file), { backend: 'cpu', cwd: tmp, quiet: true, json: false, force: false, handleSignals: false, out })).rejects.toThrow(
      /^Full-batch gradient descent \(`gd`\) takes the whole training split as one batch, which streamed data never holds; use `sgd`/,
    );
    const checked = analyze(text.replace('categorical: true', 'categorical: true, stream: true'), file).diagnostics.map((d) => d.code);
    expect(checked).toContain('E0562');
  });

  it('a compiled program streams the same batches as mlspec run', async () => {
    const text = SPEC(', stream: true, shuffle_buffer: 40', 3);
    const spec = path.join(tmp, 'streamed.mlspec');
    fs.writeFileSync(spec, text);
    const dir = path.join(tmp, 'streamed-program');
    writeCompiled(compileSpecFiles(spec, dir));
    transpileFolder(dir);
    const out = path.join(tmp, 'compiled-run');
    const result = runNode(path.join(dir, 'train.js'), ['--backend', 'cpu', '--out', out, '--quiet'], tmp);
    expect(result.stderr).toBe('');
    expect(stepLines(out).map((line) => JSON.parse(line).loss)).toEqual((await run(text)).steps);
  });
});
