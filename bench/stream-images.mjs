#!/usr/bin/env node
/**
 * Streamed image folders (images(..., stream: true), docs/semantics.md "Streamed image folders"):
 * generates folders of 64x64 grey PNGs (two classes) under the system's temporary folder (never in
 * the repository), trains one epoch of a small CNN on each, and prints images/s and peak RSS as
 * markdown (keep the output in docs/benchmarks.md). 2,000 images (8,192,000 numbers) fit in memory
 * and are trained both in memory and streamed; 20,000 images (81,920,000 numbers) are over the
 * 10,000,000 held in memory, so they are streamed by default (what was refused before as E0555),
 * also with the heap capped at HEAP_CAP_MIB. Images/s: training images over the training loop's time
 * (summary.training_s), and over the whole process (listing, hashing and the kept splits included).
 *
 *   npm run build && node bench/stream-images.mjs          (about 5 minutes on 2 cores)
 *   node bench/stream-images.mjs --images 2000              one size
 *   node bench/stream-images.mjs --keep                     keep the generated folders for another run
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredRun } from './measured-run.mjs';
import { PNG } from 'pngjs';

const arg = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? null : process.argv[at + 1];
};
const sizes = arg('--images') ? [Number(arg('--images'))] : [2_000, 20_000];
const keep = process.argv.includes('--keep');
const backend = arg('--backend') ?? 'wasm';
const dir = path.join(os.tmpdir(), 'mlspec-bench-stream-images');
fs.mkdirSync(dir, { recursive: true });
const SIDE = 64;
const BATCH = 64;
const HEAP_CAP_MIB = 256;

/** Class `a`: a horizontal gradient, class `b`: a vertical one, each shifted and noised per image. */
function generate(images) {
  const folder = path.join(dir, `images-${images}`);
  if (fs.existsSync(path.join(folder, '.done'))) return folder;
  fs.rmSync(folder, { recursive: true, force: true });
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  for (const klass of ['a', 'b']) fs.mkdirSync(path.join(folder, klass), { recursive: true });
  for (let i = 0; i < images; i++) {
    const klass = i % 2 === 0 ? 'a' : 'b';
    const png = new PNG({ width: SIDE, height: SIDE, colorType: 0, inputColorType: 0, bitDepth: 8 });
    const grey = Buffer.alloc(SIDE * SIDE);
    const shift = Math.floor(next() * 64);
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) grey[y * SIDE + x] = (((klass === 'a' ? x : y) * 3 + shift) & 255) ^ (next() < 0.05 ? 32 : 0);
    png.data = grey;
    fs.writeFileSync(path.join(folder, klass, `${String(i).padStart(6, '0')}.png`), PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }));
  }
  fs.writeFileSync(path.join(folder, '.done'), '');
  return folder;
}

// Generating grows this process (PNG encoding makes much garbage), and a child forked from a large
// process starts with its peak RSS: the folders are written by a child of their own.
if (arg('--generate')) {
  generate(Number(arg('--generate')));
  process.exit(0);
}
function generateInChild(images) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--generate', String(images)], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`generating ${images} images failed (${r.status})`);
  return path.join(dir, `images-${images}`);
}

const spec = (folder, stream) => `
model {
  input(shape: [${SIDE}, ${SIDE}, 1])
  conv2d(8, kernel: 3, stride: 2, activation: relu)
  max_pool2d(4)
  flatten()
  dense(2, activation: softmax)
}
data {
  source: images("${folder}", size: [${SIDE}, ${SIDE}], channels: 1${stream === null ? '' : `, stream: ${stream}`})
  split { validation: 0.1 }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.003)
train {
  epochs: 1
  batch: ${BATCH}
  seed: 1
}
`;

function train(folder, stream, capped = false) {
  const specFile = path.join(dir, `bench-${path.basename(folder)}-${stream}.mlspec`);
  fs.writeFileSync(specFile, spec(folder, stream));
  const { summary, stderr, seconds, rssMiB } = measuredRun(specFile, { dir, backend, heapCapMiB: capped ? HEAP_CAP_MIB : null });
  const trainImages = Math.round(summary.samples_per_s * summary.training_s);
  const result = {
    rssMiB,
    seconds,
    trainImages,
    loopPerS: summary.samples_per_s,
    perS: trainImages / seconds,
    valAccuracy: summary.validation?.accuracy,
    valLoss: summary.validation?.loss,
    streamedNote: /so they are streamed/.test(stderr),
  };
  return result;
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
console.log(`Streamed image folders, one epoch of a small CNN (conv2d 8 stride 2, max_pool 4, dense 2; Adam, batch ${BATCH}, validation 10%) on ${SIDE}x${SIDE} grey PNGs, ${backend}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}:`);
console.log('');
console.log('| images | numbers | read | training images/s (loop) | images/s (whole run) | wall s | peak RSS MiB | val loss |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const images of sizes) {
  const folder = generateInChild(images);
  const numbers = images * SIDE * SIDE;
  const modes = numbers > 10_000_000 ? [[null, false], [null, true]] : [[null, false], [true, false], [true, true]];
  for (const [stream, capped] of modes) {
    const r = train(folder, stream, capped);
    const how = stream === true ? 'streamed' : r.streamedNote ? 'streamed (by default: over 10,000,000 numbers)' : 'in memory';
    const read = capped ? `${how}, heap capped at ${HEAP_CAP_MIB} MiB` : how;
    console.log(`| ${fmt(images)} | ${fmt(numbers)} | ${read} | ${fmt(r.loopPerS)} | ${fmt(r.perS)} | ${fmt(r.seconds, 1)} | ${fmt(r.rssMiB)} | ${fmt(r.valLoss, 4)} |`);
  }
  if (!keep) fs.rmSync(folder, { recursive: true, force: true });
}
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
