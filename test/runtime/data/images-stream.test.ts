/**
 * Streamed image folders (images-stream-dataset.ts): the same split, batches and preprocessing as
 * the same folder in memory, so a run's per-step losses, preprocessing.json, split.json and
 * results are bit-identical; a loop paused inside an epoch continues exactly; a folder over the
 * in-memory limit streams by itself (E0555 only with `stream: false`); `mlspec plan` sizes it
 * without decoding.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../../src/frontend.js';
import { evaluatePlan } from '../../../src/interpret/evaluate.js';
import { lowerSpec } from '../../../src/lower/lower.js';
import type { DataImagesConfig, DataPipelineConfig } from '../../../src/runtime/data/config.js';
import { DataError } from '../../../src/runtime/data/errors.js';
import { fitNormalizationStreamed } from '../../../src/runtime/data/image-stream-stats.js';
import { imagesDataSource } from '../../../src/runtime/data/images-source.js';
import { prepareStreamedImages } from '../../../src/runtime/data/images-stream-dataset.js';
import { fitNormalization } from '../../../src/runtime/data/normalize.js';
import { runTrainingLoop } from '../../../src/runtime/loop-steps.js';
import { readCheckpoint } from '../../../src/runtime/checkpoint.js';
import { runTraining } from '../../../src/runtime/program.js';
import { createRng } from '../../../src/runtime/rng.js';
import { newLoopPosition, type TrainLoopContext } from '../../../src/runtime/train.js';
import { planCommand } from '../../../src/cli/commands/plan.js';
import { greyPng, writeTree } from './image-folder-fixture.js';
import { pngBytes } from './png-bytes.js';
import { compileSpecFiles, runNode, scratchDir, stepLines, transpileFolder, writeCompiled } from '../../emit/emit-helpers.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-images-stream-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A 6 x 5 RGB PNG whose pixels depend on the class and the file, so classes are learnable and images differ. */
function rgbPng(klass: number, file: number): Buffer {
  const rng = createRng(1000 * klass + file).next;
  const rows = Array.from({ length: 5 }, () => Array.from({ length: 18 }, (_, i) => Math.floor(((i % 3 === klass ? 160 : 40) + 90 * rng()) % 256)));
  return pngBytes({ width: 6, height: 5, colorType: 2, bitDepth: 8, rows });
}
const files: Record<string, Buffer> = {};
for (const [k, name] of ['red', 'green', 'blue'].entries()) for (let i = 0; i < 12; i++) files[`${name}/${String(i).padStart(2, '0')}.png`] = rgbPng(k, i);
writeTree(path.join(tmp, 'colours'), files);

const SPEC = (options: string, normalize = 'zscore') => `
model {
  input(shape: [4, 4, 3])
  conv2d(4, kernel: 3, activation: relu)
  flatten()
  dense(3, activation: softmax)
}
data {
  source: images("colours", size: [4, 4], channels: 3${options})
  normalize: ${normalize}
  split { validation: 0.2, test: 0.2, stratify: true }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.05)
train {
  epochs: 3
  batch: 5
  seed: 11
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
  const notes: string[] = [];
  const result = await runTraining(planOf(text), { backend: 'cpu', cwd: tmp, quiet: false, json: false, force: false, handleSignals: false, out, write: () => {}, note: (t) => notes.push(t) });
  const lines = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, number | string>);
  const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');
  return { ...result, notes, steps: lines.filter((l) => l.type === 'step').map((l) => l.loss as number), epochs: lines.filter((l) => l.type === 'epoch').map(({ time_s: _, ...metrics }) => metrics), read };
}

describe('a streamed image folder', () => {
  it.each(['zscore', 'minmax', 'none'])('trains on exactly the batches of the same folder in memory (normalize: %s)', async (normalize) => {
    const memory = await run(SPEC('', normalize));
    const streamed = await run(SPEC(', stream: true', normalize));
    // 36 images: 24 train (stratified), 3 epochs of ceil(22 / 5) batches.
    expect(memory.steps.length).toBe(3 * 5);
    expect(streamed.steps).toEqual(memory.steps);
    expect(streamed.epochs).toEqual(memory.epochs);
    // The same file but for the data config's `stream: true`.
    expect(streamed.read('preprocessing.json').split('"stream": true')).toEqual(memory.read('preprocessing.json').split('"stream": null'));
    expect(streamed.read('split.json')).toBe(memory.read('split.json'));
    expect([streamed.summary.data_hash, streamed.summary.test, streamed.summary.validation]).toEqual([memory.summary.data_hash, memory.summary.test, memory.summary.validation]);
    expect(streamed.notes.join('')).not.toContain('warning');
    if (normalize === 'zscore') expect(JSON.parse(streamed.read('preprocessing.json')).normalization.kind).toBe('zscore');
  });

  it('continues a loop paused inside an epoch on the same batches as one that never paused', async () => {
    const losses = async (pauseAt: number | null): Promise<number[]> => {
      const plan = planOf(SPEC(', stream: true'));
      const data = await prepareStreamedImages(plan.data.source as DataImagesConfig, plan.data, { baseDir: plan.dataBaseDir, seed: 11 });
      const seen: number[] = [];
      let paused = false;
      const ctx: TrainLoopContext = {
        plan,
        data,
        built: plan.buildModel(11),
        seed: 11,
        epochs: 3,
        position: newLoopPosition(),
        programFingerprint: {},
        observer: { step: (info) => seen.push(info.loss), shouldPause: () => !paused && seen.length === pauseAt && (paused = true) },
        best: null,
        batches: data.trainStream,
      };
      await runTrainingLoop(ctx);
      if (pauseAt !== null) {
        expect([ctx.position.epoch, ctx.position.batch]).toEqual([1, 2]);
        await runTrainingLoop(ctx);
      }
      ctx.built.model.dispose();
      return seen;
    };
    const whole = await losses(null);
    // The streamed source's batches (used directly here) give the losses of the run in memory.
    expect(whole).toEqual((await run(SPEC(''))).steps);
    expect(await losses(7)).toEqual(whole);
  });
});

describe('a streamed image folder run interrupted inside an epoch', () => {
  it('resumes from its checkpoint and ends exactly like the run that was not interrupted', async () => {
    const text = SPEC(', stream: true');
    const whole = await run(text);
    const out = path.join(tmp, 'interrupted');
    const options = { backend: 'cpu' as const, cwd: tmp, quiet: true, json: false, force: false, out, write: () => {}, note: () => {} };
    // Ctrl-C after the 7th step (epoch 2, batch 2): the run checkpoints there and stops.
    let steps = 0;
    const interrupted = await runTraining(planOf(text), { ...options, handleSignals: true, observer: { step: () => void (++steps === 7 && process.emit('SIGINT')) } }).catch((e: unknown) => e);
    expect((interrupted as Error).constructor.name).toBe('RunInterrupted');
    const { position } = readCheckpoint(path.join(out, 'checkpoint.bin')).header;
    expect([position.epoch, position.batch, position.step]).toEqual([1, 2, 7]);
    const resumed = await runTraining(planOf(text), { ...options, handleSignals: false, resume: out });
    const losses = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'step').map((l) => l.loss);
    expect(losses).toEqual(whole.steps);
    expect(fs.readFileSync(path.join(out, 'model/weights.bin'))).toEqual(fs.readFileSync(path.join(whole.out, 'model/weights.bin')));
    expect(resumed.summary.test).toEqual(whole.summary.test);
  });
});

describe('a compiled program on a streamed image folder', () => {
  it('streams the same batches as mlspec run', async () => {
    // Inside the repository, so that the compiled program finds node_modules.
    const scratch = scratchDir('images-stream');
    try {
      fs.cpSync(path.join(tmp, 'colours'), path.join(scratch, 'colours'), { recursive: true });
      const text = SPEC(', stream: true');
      const spec = path.join(scratch, 'streamed.mlspec');
      fs.writeFileSync(spec, text);
      const dir = path.join(scratch, 'program');
      writeCompiled(compileSpecFiles(spec, dir));
      transpileFolder(dir);
      const out = path.join(scratch, 'compiled-run');
      const result = runNode(path.join(dir, 'train.js'), ['--backend', 'cpu', '--out', out, '--quiet'], scratch);
      expect(result.stderr).toBe('');
      expect(stepLines(out).map((line) => JSON.parse(line).loss)).toEqual((await run(text)).steps);
    } finally {
      fs.rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe('normalisation statistics of streamed images', () => {
  it('are the bits fitNormalization gives for the same rows in memory', () => {
    const rng = createRng(5).next;
    const rows = Array.from({ length: 50 }, () => [rng(), rng() * 1e-3 + 0.1, 0.25, Math.round(rng() * 255) / 255]);
    for (const kind of ['zscore', 'minmax', 'none'] as const) {
      let passes = 0;
      const streamed = fitNormalizationStreamed(kind, 4, () => (passes++, rows));
      expect(streamed).toEqual(fitNormalization(kind, rows, 4));
      expect(passes).toBe({ zscore: 2, minmax: 1, none: 0 }[kind]);
    }
    expect(fitNormalizationStreamed('zscore', 4, () => [])).toEqual(fitNormalization('zscore', [], 4));
  });
});

describe('when an image folder streams', () => {
  // Four images at 1024 x 1024 x 3 are 12,582,912 numbers, over the 10,000,000 held in memory.
  writeTree(path.join(tmp, 'large'), { 'a/1.png': greyPng(10), 'a/2.png': greyPng(20), 'b/1.png': greyPng(200), 'b/2.png': greyPng(220) });
  const pipeline: DataPipelineConfig = { reshape: null, normalize: 'none', one_hot: false, split: { train: 1, validation: 0, test: 0, stratify: false }, shuffle: true, seed: null };
  const config = (size: number, stream: boolean | null): DataImagesConfig => ({ kind: 'images', path: 'large', size: [size, size], channels: 3, stream });

  it('streams a folder over the in-memory limit by itself, with a warning, and keeps a bounded training sample', async () => {
    const warnings: string[] = [];
    const data = await imagesDataSource(config(1024, null)).streamed!(pipeline, { baseDir: tmp, seed: 1, onWarning: (m) => warnings.push(m) });
    expect(data).not.toBeNull();
    expect(warnings).toEqual([
      'The 4 images of `large` make 12,582,912 numbers, more than the 10,000,000 mlspec holds in memory, so they are streamed: decoded batch by batch every epoch, in the same order as in memory (docs/semantics.md); write `stream: true` to say so and silence this.',
    ]);
    expect(data!.trainStream.rows).toBe(4);
    // Training metrics use the first 3 training images: 3 x 3,145,728 numbers fit in 10,000,000.
    expect(data!.train.x.shape).toEqual([3, 1024, 1024, 3]);
    const batches = data!.trainStream.epoch(0, 3, 1);
    const last = await batches.next();
    expect(last.value.x.shape).toEqual([1, 1024, 1024, 3]);
    last.value.release();
    expect((await batches.next()).done).toBe(true);
    data!.train.x.dispose();
    data!.train.y.dispose();
  });

  it('reads a folder under the limit in memory unless it says stream: true, and refuses one over it with stream: false (E0555)', async () => {
    expect(await imagesDataSource(config(8, null)).streamed!(pipeline, { baseDir: tmp, seed: 1 })).toBeNull();
    expect(await imagesDataSource(config(1024, false)).streamed!(pipeline, { baseDir: tmp, seed: 1 })).toBeNull();
    let error: unknown = null;
    try {
      imagesDataSource(config(1024, false)).load({ baseDir: tmp, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataError);
    expect([(error as DataError).code, (error as DataError).option]).toEqual(['E0555', 'size']);
    expect((error as DataError).message).toContain('more than the 10,000,000 mlspec holds in memory; remove `stream: false` to stream them');
  });

  it('refuses validation and test splits too large to keep (E0563), before decoding any image', async () => {
    // 100 files that are not images: 90 kept at 1024 x 1024 x 3 would be 283,115,520 numbers.
    writeTree(path.join(tmp, 'kept'), Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`${i % 2 ? 'a' : 'b'}/${i}.png`, 'never decoded'])));
    const split = { train: 0.1, validation: 0.5, test: 0.4, stratify: false };
    const error = await prepareStreamedImages({ kind: 'images', path: 'kept', size: [1024, 1024], channels: 3, stream: true }, { ...pipeline, split }, { baseDir: tmp, seed: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect([(error as DataError).code, (error as DataError).option, (error as DataError).message]).toEqual([
      'E0563',
      'split',
      'Streaming `kept` keeps its 90 validation and test images decoded, 283,115,520 numbers, more than the 250,000,000 mlspec keeps; lower `validation` and `test` in `split`, or use a smaller size.',
    ]);
  });
});

describe('mlspec plan on a streamed image folder', () => {
  it('reports the split sizes of the same folder in memory, without decoding', async () => {
    const planOutput = async (text: string) => {
      const out: string[] = [];
      const io = { cwd: tmp, color: false, interactive: false, stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t) };
      const file = path.join(tmp, 'plan.mlspec');
      fs.writeFileSync(file, text);
      expect(await planCommand(file, {} as never, io as never), out.join('')).toBe(0);
      return out.join('');
    };
    const streamed = await planOutput(SPEC(', stream: true'));
    expect(streamed).toBe(await planOutput(SPEC('')));
    expect(streamed).toContain('steps/epoch     5 (ceil(24 / 5))');
  });
});
