/**
 * The PyTorch target reads PNG image folders as `mlspec run` does: its decoder (python/images.py)
 * gives pngjs's RGBA bytes for every colour type, bit depth, filter and interlacing, and the same
 * float32 pixels after channel conversion and resizing, and refuses the damaged files pngjs
 * refuses; a small CNN trained on a PNG folder gives the same step losses, preprocessing.json and
 * split.json on both, and evaluate/predict read its run folder; a folder with JPEG files is
 * refused at the source (E0702).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateCommand } from '../../src/cli/commands/evaluate.js';
import { predictCommand } from '../../src/cli/commands/predict.js';
import type { CliIO } from '../../src/cli/cli-io.js';
import { emitPytorch, PYTORCH_UNSUPPORTED_DATA } from '../../src/emit/pytorch/emit.js';
import { PYTORCH_RUNTIME_FILE, pytorchRuntimeSource } from '../../src/emit/pytorch/runtime-source.js';
import { decodeImage } from '../../src/runtime/data/image-decode.js';
import { imageSample } from '../../src/runtime/data/image-pixels.js';
import { loadImageFolder } from '../../src/runtime/data/images-source.js';
import { encodePng, lcg, pngFixtures, type PngLayout } from './png-fixtures.js';
import { buildSpec, compileTorch, maxRelativeDifference, PYTHON, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-images-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs `code` in Python with mlspec_runtime importable (as `rt`); returns its stdout parsed as JSON. */
function python(code: string, input: unknown): unknown {
  const dir = path.join(work, 'runtime');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, PYTORCH_RUNTIME_FILE), pytorchRuntimeSource());
  fs.writeFileSync(path.join(dir, 'input.json'), JSON.stringify(input));
  const script = `import json, sys\nsys.path.insert(0, ${JSON.stringify(dir)})\nimport numpy as np\nimport mlspec_runtime as rt\njob = json.load(open(${JSON.stringify(path.join(dir, 'input.json'))}))\n${code}`;
  const result = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const float32Hex = (values: ArrayLike<number>) => Buffer.from(Float32Array.from(values).buffer).toString('hex');

/** [height, width, channels]: the image's own size, downscaling, upscaling, and one odd of each. */
const SIZES: [number, number, 1 | 3][] = [
  [0, 0, 1],
  [0, 0, 3],
  [3, 2, 1],
  [4, 5, 3],
  [19, 23, 1],
  [21, 6, 3],
];

describe('the PyTorch program decodes PNG files as mlspec does', () => {
  const fixtures = pngFixtures();
  // pngjs's own encoder too (adaptive filters), grey and RGBA.
  const next = lcg(99);
  const grey = new PNG({ width: 15, height: 10, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
  grey.data = Buffer.from(Array.from({ length: 150 }, (_, i) => (i % 7 === 0 ? 200 : next() & 255)));
  fixtures.push({ name: 'pngjs-grey', bytes: PNG.sync.write(grey, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 }) });
  const rgba = new PNG({ width: 11, height: 13 });
  rgba.data = Buffer.from(Array.from({ length: 11 * 13 * 4 }, () => next() & 255));
  fixtures.push({ name: 'pngjs-rgba', bytes: PNG.sync.write(rgba) });

  it('gives pngjs\'s RGBA bytes and the same float32 pixels at every size, for every colour type and bit depth', () => {
    const files = fixtures.map(({ name, bytes }) => {
      const file = path.join(work, 'fixtures', `${name}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, bytes);
      const image = decodeImage(bytes);
      const sizes = SIZES.map(([h, w, c]) => [h || image.height, w || image.width, c]);
      return { name, file, image, sizes };
    });
    const decoded = python(
      `out = []\nfor f in job:\n    data = open(f["file"], "rb").read()\n    w, h, rgba = rt.decode_png(data)\n    out.append({"width": w, "height": h, "rgba": rgba.tobytes().hex(), "samples": [np.asarray(rt.image_sample(rgba, s[:2], s[2]), dtype=np.float64).reshape(-1).astype(np.float32).tobytes().hex() for s in f["sizes"]]})\nprint(json.dumps(out))`,
      files.map(({ file, sizes }) => ({ file, sizes })),
    ) as { width: number; height: number; rgba: string; samples: string[] }[];
    expect(decoded).toHaveLength(files.length);
    files.forEach(({ name, image, sizes }, i) => {
      const got = decoded[i]!;
      expect([name, got.width, got.height], name).toEqual([name, image.width, image.height]);
      expect(got.rgba, `${name}: RGBA bytes`).toBe(Buffer.from(image.rgba).toString('hex'));
      sizes.forEach(([h, w, c], j) => {
        expect(got.samples[j], `${name} at [${h}, ${w}] with ${c} channels`).toBe(float32Hex(imageSample(image, [h!, w!], c as 1 | 3)));
      });
    });
    // The fixtures do exercise the conversions: some pixels are made transparent by a tRNS key, and some are not grey.
    const keyed = decodeImage(fixtures.find((f) => f.name === 'rgb8-key')!.bytes).rgba;
    expect(Array.from({ length: keyed.length / 4 }, (_, p) => keyed[4 * p + 3]).filter((a) => a === 0).length).toBeGreaterThan(0);
  });

  it('reads a class folder as loadImageFolder does: same rows, labels, float32 pixels and data hash', () => {
    const folder = path.join(work, 'classes');
    const pick = ['grey8', 'rgb16', 'palette4', 'interlaced-rgb8', 'rgba8', 'grey1'];
    pick.forEach((name, i) => {
      const file = path.join(folder, i % 2 === 0 ? 'zebra' : 'Ant', `${String(9 - i).padStart(2, '0')}-${name}.png`);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, fixtures.find((f) => f.name === name)!.bytes);
    });
    fs.writeFileSync(path.join(folder, 'Ant', 'notes.txt'), 'ignored');
    fs.writeFileSync(path.join(folder, 'Ant', '.hidden.png'), 'ignored');
    const config = { kind: 'images' as const, path: 'classes', size: [5, 7], channels: 3 as const };
    const ts = loadImageFolder(config, work, null);
    const py = python(
      `t = rt.read_image_folder(job, ${JSON.stringify(work)})\nprint(json.dumps({"labels": t["labels"], "hash": t["hash"], "shape": t["sampleShape"], "x": np.asarray(t["features"], dtype=np.float64).astype(np.float32).tobytes().hex()}))`,
      config,
    ) as { labels: unknown; hash: string; shape: number[]; x: string };
    expect(py.labels).toEqual({ kind: 'classes', indices: ts.labels.kind === 'classes' ? ts.labels.indices : null, count: 2, names: ['Ant', 'zebra'] });
    expect(py.hash).toBe(ts.hash);
    expect(py.shape).toEqual([5, 7, 3]);
    expect(py.x).toBe(float32Hex(ts.features.flat()));
  });

  it('refuses a JPEG file and a damaged PNG, naming the file', () => {
    const folder = path.join(work, 'bad');
    const rgbaBytes = Buffer.alloc(4 * 4 * 4, 128);
    fs.mkdirSync(path.join(folder, 'a'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'a', '1.png'), jpeg.encode({ data: rgbaBytes, width: 4, height: 4 }, 90).data);
    // pngjs skips an unknown ancillary chunk without checking its CRC; so does the program.
    const skipped = Buffer.from(fixtures[0]!.bytes);
    skipped[50] ^= 0xff; // inside tEXt
    expect(decodeImage(skipped).rgba).toEqual(decodeImage(fixtures[0]!.bytes).rgba);
    fs.mkdirSync(path.join(folder, 'c'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'c', '3.png'), skipped);
    const damaged = Buffer.from(fixtures[0]!.bytes);
    damaged[30] ^= 0xff; // the CRC of IHDR
    fs.mkdirSync(path.join(folder, 'b'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'b', '2.png'), damaged);
    expect(() => decodeImage(damaged)).toThrow(/not a valid PNG/);
    const messages = python(
      `out = []\nfor f in job:\n    try:\n        rt.image_file_sample(open(f, "rb").read(), f.split("/bad/")[1], [2, 2], 1)\n        out.append(None)\n    except rt.MlspecError as e:\n        out.append(str(e))\nprint(json.dumps(out))`,
      [path.join(folder, 'a', '1.png'), path.join(folder, 'b', '2.png'), path.join(folder, 'c', '3.png')],
    );
    expect(messages).toEqual([
      'The image `a/1.png` is a JPEG file, which the PyTorch program cannot read with mlspec\'s pixels; convert it to PNG, or train with `mlspec run`.',
      'Cannot decode the image `b/2.png` (it is not a valid PNG file: the CRC of its IHDR chunk is wrong); replace it with a valid PNG file, or remove it.',
      null,
    ]);
  });
});

/** 16x16 grey digits from examples/data/digits.csv, as make-digit-images.mjs draws them; every third as an interlaced RGB PNG. */
function writeDigitFolder(folder: string, digits: number[], perDigit: number): void {
  const [header, ...lines] = fs.readFileSync(path.join(ROOT, 'examples/data/digits.csv'), 'utf8').trim().split(/\r?\n/);
  const label = header!.split(',').indexOf('digit');
  const taken = new Map<number, number>();
  lines.forEach((line, row) => {
    const cells = line.split(',').map(Number);
    const digit = cells[label]!;
    const count = taken.get(digit) ?? 0;
    if (!digits.includes(digit) || count >= perDigit) return;
    taken.set(digit, count + 1);
    const value = (x: number, y: number) => Math.round((cells[(y >> 1) * 8 + (x >> 1)]! * 255) / 16);
    const file = path.join(folder, String(digit), `${String(row).padStart(4, '0')}.png`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (count % 3 === 2) {
      // A tinted RGB copy, so channel conversion (the luma) matters.
      fs.writeFileSync(file, encodePng({ width: 16, height: 16, depth: 8, colour: 2, interlace: true }, (x, y, s) => Math.min(255, value(x, y) + 10 * s)));
      return;
    }
    const png = new PNG({ width: 16, height: 16, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
    png.data = Buffer.from(Array.from({ length: 256 }, (_, p) => value(p % 16, p >> 4)));
    fs.writeFileSync(file, PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 }));
  });
}

const CNN = `model {
  input(shape: [12, 12, 1])
  conv2d(4, kernel: 3, padding: same, activation: relu)
  max_pool2d(2)
  flatten()
  dense(3, activation: softmax)
}

data {
  source: images("digits", size: [12, 12], channels: 1)
  normalize: zscore
  split { train: 0.7, validation: 0.15, test: 0.15, stratify: true }
}

loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.01)

train {
  epochs: 3
  batch: 8
  seed: 5
  metrics: [accuracy]
}
`;

describe('damaged PNG files', () => {
  it('are refused or read alike by the program and by pngjs (but for rows cut short)', () => {
    const grey = (layout: Partial<PngLayout>) => encodePng({ width: 6, height: 5, depth: 8, colour: 0, ...layout }, (x, y) => (x * 40 + y * 7) & 255);
    const good = grey({});
    // [case, bytes, what pngjs does, what the program does]: the same, but for rows cut short, which pngjs
    // reads (the missing bytes taken from a buffer it allocates uninitialised) and the program refuses.
    const cases: [string, Buffer, 'read' | 'refused', 'read' | 'refused'][] = [
      ['bytes after IEND', Buffer.concat([good, Buffer.from('junk')]), 'refused', 'refused'],
      ['extra inflated bytes, not interlaced (pngjs ignores them)', grey({ extra: 9 }), 'read', 'read'],
      ['extra inflated bytes, interlaced', grey({ extra: 9, interlace: true }), 'refused', 'refused'],
      ['rows cut short', grey({ extra: -3 }), 'read', 'refused'],
      ['rows cut short, interlaced', grey({ extra: -3, interlace: true }), 'refused', 'refused'],
      ['no IEND', good.subarray(0, good.length - 12), 'refused', 'refused'],
      ['cut inside IDAT', good.subarray(0, good.length - 20), 'refused', 'refused'],
      ['filter type 5', grey({ filter: 5 }), 'refused', 'refused'],
      ['an unknown critical chunk', Buffer.from(good.toString('latin1').replace('tEXt', 'TEXt'), 'latin1'), 'refused', 'refused'],
    ];
    const folder = path.join(work, 'damaged');
    fs.mkdirSync(folder, { recursive: true });
    const files = cases.map(([, bytes], i) => {
      const file = path.join(folder, `${i}.png`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const python_ = python(
      `out = []\nfor f in job:\n    try:\n        out.append(rt.decode_png(open(f, "rb").read())[2].tobytes().hex())\n    except rt.ImageDecodeError:\n        out.append("refused")\nprint(json.dumps(out))`,
      files,
    ) as string[];
    cases.forEach(([name, bytes, pngjs, program], i) => {
      let ts: string;
      try {
        ts = Buffer.from(decodeImage(bytes).rgba).toString('hex');
      } catch {
        ts = 'refused';
      }
      expect(ts === 'refused' ? 'refused' : 'read', `pngjs on ${name}`).toBe(pngjs);
      expect(python_[i] === 'refused' ? 'refused' : 'read', `the program on ${name}`).toBe(program);
      if (pngjs === program) expect(python_[i], name).toBe(ts);
    });
  });
});

describe('a CNN on a PNG image folder trains alike on PyTorch and mlspec run', () => {
  const dir = path.join(work, 'cnn');
  let results: (number | string)[] = [];

  beforeAll(async () => {
    writeDigitFolder(path.join(dir, 'digits'), [0, 1, 7], 15);
    const spec = buildSpec(dir, 'cnn', CNN);
    const init = await runTfjs(spec, path.join(dir, 'init'), { epochs: 0 });
    await runTfjs(spec, path.join(dir, 'tfjs'), { initFrom: init });
    compileTorch(spec, path.join(dir, 'program'));
    results = runTorchPrograms(work, [{ dir: path.join(dir, 'program'), args: ['--out', path.join(dir, 'torch'), '--init-from', init, '--device', 'cpu', '--quiet', '--force'] }]);
  }, 120_000);

  it('every step loss within 1e-6 relative, the same data hash and preprocessing', () => {
    expect(results).toEqual([0]);
    const tfjs = stepRecords(path.join(dir, 'tfjs'));
    const torch = stepRecords(path.join(dir, 'torch'));
    // 45 images: 33 train rows in batches of 8 (5 steps), 3 epochs.
    expect(tfjs).toHaveLength(15);
    expect(torch.map((r) => r.step)).toEqual(tfjs.map((r) => r.step));
    const worst = maxRelativeDifference(torch.map((r) => r.loss), tfjs.map((r) => r.loss));
    if (process.env.MLSPEC_SHOW_PARITY) console.log(`images CNN: largest relative step-loss difference ${worst.toExponential(1)}`);
    expect(worst).toBeLessThan(1e-6);
    const summary = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, run, 'summary.json'), 'utf8'));
    expect(summary('torch').data_hash).toBe(summary('tfjs').data_hash);
    const preprocessing = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, run, 'preprocessing.json'), 'utf8'));
    const [a, b] = [preprocessing('tfjs'), preprocessing('torch')];
    expect(b.labels).toEqual(['0', '1', '7']);
    expect([b.labels, b.features, b.missingFill]).toEqual([a.labels, a.features, a.missingFill]);
    expect(b.normalization.shift).toEqual(a.normalization.shift);
    expect(b.normalization.scale).toEqual(a.normalization.scale);
    expect(b.data.source).toMatchObject({ kind: 'images', size: [12, 12], channels: 1, path: '../digits' });
    // split.json as mlspec run writes it, byte for byte (the folder's absolute path, the rows of each split).
    const split = (run: string) => fs.readFileSync(path.join(dir, run, 'split.json'), 'utf8');
    expect(split('torch')).toBe(split('tfjs'));
    expect(JSON.parse(split('torch'))).toMatchObject({ source: 'images', file: path.join(dir, 'digits'), rows: 45, stratify: true, lines: null });
  });

  it('mlspec evaluate and predict read the PyTorch run folder with image data, as they read mlspec run\'s', async () => {
    const evaluate = async (run: string) => {
      let stdout = '';
      const io: CliIO = { stdout: (t) => (stdout += t), stderr: () => {}, color: false, interactive: false, cwd: dir };
      const code = await evaluateCommand(path.join(dir, run), { data: 'digits', backend: 'cpu', json: true }, io);
      return { code, result: stdout ? JSON.parse(stdout) : null };
    };
    const [torch, tfjs] = [await evaluate('torch'), await evaluate('tfjs')];
    // --split test: the run's own test rows, read again through its split.json.
    let own = '';
    const ownIo: CliIO = { stdout: (t) => (own += t), stderr: () => {}, color: false, interactive: false, cwd: dir };
    expect(await evaluateCommand(path.join(dir, 'torch'), { split: 'test', backend: 'cpu', json: true }, ownIo)).toBe(0);
    const torchSummary = JSON.parse(fs.readFileSync(path.join(dir, 'torch', 'summary.json'), 'utf8'));
    expect(JSON.parse(own).rows).toBe(6);
    expect(JSON.parse(own).accuracy).toBe(torchSummary.test.accuracy);
    expect(maxRelativeDifference([JSON.parse(own).loss], [torchSummary.test.loss])).toBeLessThan(1e-5);
    expect(torch.code).toBe(0);
    expect(torch.result.rows).toBe(45);
    expect(torch.result.accuracy).toBe(tfjs.result.accuracy);
    expect(maxRelativeDifference([torch.result.loss], [tfjs.result.loss])).toBeLessThan(1e-5);
    // predict: one file, named in the first column, the same class as mlspec run's model gives.
    const predict = async (run: string) => {
      let stdout = '';
      const io: CliIO = { stdout: (t) => (stdout += t), stderr: () => {}, color: false, interactive: false, cwd: dir };
      const file = path.join('digits', '7', fs.readdirSync(path.join(dir, 'digits', '7')).sort()[0]!);
      expect(await predictCommand(path.join(dir, run), { data: file, backend: 'cpu' }, io)).toBe(0);
      return stdout.trim().split('\n');
    };
    const [torchRows, tfjsRows] = [await predict('torch'), await predict('tfjs')];
    expect(torchRows[0]).toBe('file,predicted,p_0,p_1,p_7');
    expect(torchRows[1]!.split(',').slice(0, 2)).toEqual(tfjsRows[1]!.split(',').slice(0, 2));
  }, 60_000);
});

describe('an image folder with JPEG files', () => {
  it('is refused at the source (E0702), naming the count and the first JPEG by content, and nothing is written', () => {
    const png = encodePng({ width: 2, height: 2, depth: 8, colour: 0 }, () => 50);
    const jpg = jpeg.encode({ data: Buffer.alloc(16, 90), width: 2, height: 2 }, 90).data;
    const root = path.join(work, 'mixed');
    for (const [file, bytes] of [['photos/a/1.png', png], ['photos/a/2.jpeg', jpg], ['photos/b/3.png', jpg], ['photos/b/4.png', png]] as const) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), bytes);
    }
    const spec = buildSpec(root, 'mixed', CNN.replace('images("digits", size: [12, 12], channels: 1)', 'images("photos", size: [12, 12], channels: 1)').replace('dense(3,', 'dense(2,'));
    const { files, diagnostics } = emitPytorch(spec.ir, spec.plan, { specPath: spec.specFile, outDir: path.join(root, 'program'), version: 'test' });
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.span.start.line, d.span.start.column, d.message])).toEqual([
      [
        PYTORCH_UNSUPPORTED_DATA,
        'error',
        10,
        11,
        "The PyTorch target reads PNG images only, but the image folder 'photos' holds 2 JPEG files (the first: 'a/2.jpeg'); convert them to PNG, or train this spec with `mlspec run` or compile it to TypeScript (the default target).",
      ],
    ]);
  });
});

describe('an image folder that mlspec run would stream', () => {
  it('is refused at the source (E0702): the program reads image folders whole', () => {
    const png = encodePng({ width: 2, height: 2, depth: 8, colour: 0 }, () => 50);
    const root = path.join(work, 'streamed');
    for (const file of ['photos/a/1.png', 'photos/b/2.png']) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), png);
    }
    const spec = buildSpec(root, 'streamed', CNN.replace('images("digits", size: [12, 12], channels: 1)', 'images("photos", size: [12, 12], channels: 1, stream: true)').replace('dense(3,', 'dense(2,'));
    const { files, diagnostics } = emitPytorch(spec.ir, spec.plan, { specPath: spec.specFile, outDir: path.join(root, 'program'), version: 'test' });
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column, d.message])).toEqual([
      [
        PYTORCH_UNSUPPORTED_DATA,
        10,
        11,
        "The PyTorch target reads image folders whole, but 'photos' asks to be streamed (`stream: true`); use fewer or smaller images, or train this spec with `mlspec run` or compile it to TypeScript (the default target), which stream it.",
      ],
    ]);
  });
});
