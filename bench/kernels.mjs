#!/usr/bin/env node
/**
 * Measures mlspec's wasm kernel fixes (src/runtime/kernels/). Run after `npm run build`:
 *
 *   node bench/kernels.mjs             training speed of an MLP (wasm stock, wasm patched, cpu)
 *                                      and single products (stock vs patched)
 *   node bench/kernels.mjs --threads   also the multithreaded-wasm experiment (docs/backends.md)
 *   node bench/kernels.mjs --quick     fewer repetitions
 *
 * Timings are the best of several trials: on a shared machine the best is the most stable figure.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const kernelsModule = path.join(here, '..', 'dist', 'src', 'runtime', 'kernels', 'installWasmKernels.js');
const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const BATCH = 128;
const LAYERS = [784, 256, 128, 10];

// ---------------------------------------------------------------------------------------------
// Threaded-wasm child process: must configure tfjs before the backend starts, so it runs alone.

if (process.env.MLSPEC_BENCH_THREADS) {
  await threadedChild(Number(process.env.MLSPEC_BENCH_THREADS));
  process.exit(0);
}

if (!fs.existsSync(kernelsModule)) {
  console.error(`bench/kernels.mjs: ${path.relative(process.cwd(), kernelsModule)} is missing; run \`npm run build\` first.`);
  process.exit(1);
}

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
const { installWasmKernels, uninstallWasmKernels } = await import(pathToFileURL(kernelsModule).href);

/** Deterministic values in [-scale, scale). */
function seeded(count, seed, scale = 1) {
  const values = new Float32Array(count);
  let state = (seed * 2654435761) >>> 0;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (state / 2 ** 31 - 1) * scale;
  }
  return values;
}

function createMlp(tfjs) {
  const model = tfjs.sequential();
  model.add(tfjs.layers.dense({ inputShape: [LAYERS[0]], units: LAYERS[1], activation: 'relu' }));
  model.add(tfjs.layers.dense({ units: LAYERS[2], activation: 'relu' }));
  model.add(tfjs.layers.dense({ units: LAYERS[3] }));
  const values = model.weights.map((w, i) => {
    const shape = w.shape;
    const fanIn = shape.length === 2 ? shape[0] : 1;
    const scale = shape.length === 2 ? Math.sqrt(6 / (fanIn + shape[1])) : 0.01;
    return tfjs.tensor(seeded(shape.reduce((a, b) => a * b, 1), 11 + i, scale), shape);
  });
  model.setWeights(values);
  tfjs.dispose(values);
  return model;
}

function batches(tfjs, count) {
  return Array.from({ length: count }, (_, i) => {
    const x = tfjs.tensor(seeded(BATCH * LAYERS[0], 1000 + i), [BATCH, LAYERS[0]]);
    const labels = Array.from(seeded(BATCH, 2000 + i), (v) => Math.floor(((v + 1) / 2) * LAYERS[3]));
    const y = tfjs.oneHot(tfjs.tensor1d(labels, 'int32'), LAYERS[3]);
    return { x, y };
  });
}

/** Trains `steps` Adam steps; returns the losses and the best-trial seconds per step. */
async function trainMlp(backend, steps, trials) {
  await tf.setBackend(backend);
  await tf.ready();
  const data = batches(tf, 4);
  let best = Number.POSITIVE_INFINITY;
  let losses = [];
  for (let trial = 0; trial < trials; trial++) {
    const model = createMlp(tf);
    const optimizer = tf.train.adam(1e-3);
    const step = (i) => {
      const { x, y } = data[i % data.length];
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x)), true);
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    };
    step(0); // warm-up: first-use compilation and allocation
    const trialLosses = [];
    const start = performance.now();
    for (let i = 1; i <= steps; i++) {
      trialLosses.push(step(i));
    }
    best = Math.min(best, (performance.now() - start) / 1000 / steps);
    losses = trialLosses;
    optimizer.dispose();
    model.dispose();
  }
  data.forEach(({ x, y }) => tf.dispose([x, y]));
  return { losses, secondsPerStep: best };
}

function row(cells, widths) {
  return cells.map((cell, i) => String(cell).padEnd(widths[i])).join('  ');
}

async function mlpTable() {
  const steps = quick ? 8 : 20;
  const trials = quick ? 2 : 3;
  uninstallWasmKernels();
  const stock = await trainMlp('wasm', steps, trials);
  installWasmKernels();
  const patched = await trainMlp('wasm', steps, trials);
  const cpu = await trainMlp('cpu', Math.max(3, steps / 4), Math.min(2, trials));
  const lossDifference = Math.max(...stock.losses.map((loss, i) => Math.abs(loss - patched.losses[i])));
  const widths = [22, 12, 12, 14];
  console.log(`\nMLP ${LAYERS.join('-')}, batch ${BATCH}, Adam, forward + backward + update (best of ${trials})`);
  console.log(row(['backend', 'ms/step', 'samples/s', 'vs wasm stock'], widths));
  for (const [name, result] of [['wasm (stock kernels)', stock], ['wasm (mlspec kernels)', patched], ['cpu', cpu]]) {
    const speedup = stock.secondsPerStep / result.secondsPerStep;
    console.log(row([name, (result.secondsPerStep * 1000).toFixed(1), Math.round(BATCH / result.secondsPerStep), `${speedup.toFixed(2)}x`], widths));
  }
  console.log(`losses over ${steps} steps, stock vs patched: max |difference| = ${lossDifference.toExponential(2)}`);
}

/** The digits CNN of examples/digits_cnn.mlspec, batch 32: stock wasm cannot train it at all. */
async function cnnTable() {
  const steps = quick ? 5 : 15;
  const build = () => {
    const model = tf.sequential();
    model.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }));
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }));
    model.add(tf.layers.globalAveragePooling2d({}));
    model.add(tf.layers.dropout({ rate: 0.25, seed: 3 }));
    model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }));
    return model;
  };
  const measure = async (backend) => {
    await tf.setBackend(backend);
    const model = build();
    const optimizer = tf.train.adam(3e-3);
    const x = tf.tensor(seeded(32 * 64, 5).map((v) => (v + 1) / 2), [32, 8, 8, 1]);
    const y = tf.oneHot(tf.tensor1d(Array.from(seeded(32, 6), (v) => Math.floor(((v + 1) / 2) * 10)), 'int32'), 10);
    const step = () => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true);
      loss.dataSync();
      loss.dispose();
    };
    try {
      step();
      let best = Number.POSITIVE_INFINITY;
      for (let trial = 0; trial < 2; trial++) {
        const start = performance.now();
        for (let i = 0; i < steps; i++) step();
        best = Math.min(best, (performance.now() - start) / steps);
      }
      return { ms: best };
    } catch (error) {
      return { error: String(error.message ?? error).slice(0, 60) };
    } finally {
      tf.dispose([x, y]);
      optimizer.dispose();
      model.dispose();
    }
  };
  uninstallWasmKernels();
  const stock = await measure('wasm');
  installWasmKernels();
  const patched = await measure('wasm');
  const cpu = await measure('cpu');
  const widths = [22, 12, 12];
  console.log('\nCNN of examples/digits_cnn.mlspec (8x8x1, conv 32, batch norm, max pool, conv 64, GAP, dense), batch 32, Adam');
  console.log(row(['backend', 'ms/step', 'samples/s'], widths));
  for (const [name, r] of [['wasm (stock kernels)', stock], ['wasm (mlspec kernels)', patched], ['cpu', cpu]]) {
    console.log(r.error ? `${name.padEnd(22)}  fails: ${r.error}` : row([name, r.ms.toFixed(1), Math.round(32000 / r.ms)], widths));
  }
}

function timeProduct(a, b, transposeA, transposeB, reps) {
  const run = () => {
    const out = tf.matMul(a, b, transposeA, transposeB);
    out.dataSync();
    out.dispose();
  };
  run();
  let best = Number.POSITIVE_INFINITY;
  for (let trial = 0; trial < 3; trial++) {
    const start = performance.now();
    for (let i = 0; i < reps; i++) run();
    best = Math.min(best, (performance.now() - start) / reps);
  }
  return best;
}

async function productTable() {
  await tf.setBackend('wasm');
  const cases = [
    ['x W       [128,784]x[784,256]', [128, 784], [784, 256], false, false],
    ['x^T dy    (dW of 784->256)', [128, 784], [128, 256], true, false],
    ['dy W^T    (dx of 784->256)', [128, 256], [784, 256], false, true],
    ['batched   16x[64,64]x[64,64]', [16, 64, 64], [16, 64, 64], false, false],
    ['batched   16x[64,64]x[64,64]^T', [16, 64, 64], [16, 64, 64], false, true],
    ['attention 256x[8,8]x[8,8]^T', [256, 8, 8], [256, 8, 8], false, true],
    ['seq dense [32,50,64]x[64,64]', [32, 50, 64], [64, 64], false, false],
  ];
  const widths = [32, 11, 11, 9];
  console.log('\nSingle products on wasm (ms, best of 3)');
  console.log(row(['product', 'stock', 'patched', 'speedup'], widths));
  for (const [name, aShape, bShape, transposeA, transposeB] of cases) {
    const a = tf.tensor(seeded(aShape.reduce((p, d) => p * d, 1), 1), aShape);
    const b = tf.tensor(seeded(bShape.reduce((p, d) => p * d, 1), 2), bShape);
    const reps = quick ? 5 : 15;
    uninstallWasmKernels();
    const stock = timeProduct(a, b, transposeA, transposeB, reps);
    installWasmKernels();
    const patched = timeProduct(a, b, transposeA, transposeB, reps);
    console.log(row([name, stock.toFixed(3), patched.toFixed(3), `${(stock / patched).toFixed(2)}x`], widths));
    tf.dispose([a, b]);
  }
}

// ---------------------------------------------------------------------------------------------
// Multithreaded wasm (investigation; not used by mlspec). tfjs-backend-wasm 4.22 disables
// threads in Node (WASM_HAS_MULTITHREAD_SUPPORT is false when IS_NODE). Forcing the flag fails:
// Emscripten starts its workers from blob: URLs, which Node's worker_threads refuses. Making it
// work takes four interventions, done here only for measurement:
//   1. record the strings given to `new Blob` and let URL.createObjectURL write them to files;
//   2. prepend the bundler-renamed globals (require$$0..4, commonjsGlobal) that the serialized
//      module factory refers to but the worker lacks;
//   3. rewrite the minified worker source to import that file instead of a blob URL;
//   4. fake os.cpus(): the C++ side caps threads at (logical cores / 2), 1 on a 2-core machine.

async function threadedChild(threads) {
  const tfjs = await import('@tensorflow/tfjs');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-wasm-threads-'));
  const RealBlob = globalThis.Blob;
  const realCreateObjectURL = URL.createObjectURL;
  const realCpus = os.cpus;
  const blobParts = new WeakMap();
  let mainScript = null;
  const prelude =
    "var require$$0 = require('fs'); var require$$1 = require('path'); var require$$3 = require('perf_hooks');" +
    " var require$$4 = require('os'); var commonjsGlobal = globalThis;\n";
  globalThis.Blob = class extends RealBlob {
    constructor(parts, options) {
      super(parts, options);
      const text = parts.join('');
      blobParts.set(this, text);
      if (text.startsWith('var WasmBackendModuleThreadedSimd')) {
        mainScript = path.join(folder, 'main.js');
        fs.writeFileSync(mainScript, prelude + text);
      }
    }
  };
  let files = 0;
  URL.createObjectURL = (blob) => {
    let text = blobParts.get(blob);
    if (text === undefined) return realCreateObjectURL(blob);
    if (mainScript !== null) {
      text = text.replace(
        'var objectUrl=URL.createObjectURL(e.data.urlOrBlob);importScripts(objectUrl);URL.revokeObjectURL(objectUrl)',
        `importScripts(${JSON.stringify(mainScript)})`,
      );
    }
    const file = path.join(folder, `part${files++}.js`);
    fs.writeFileSync(file, text);
    return file;
  };
  os.cpus = () => Array.from({ length: 2 * threads }, () => realCpus()[0]);
  tfjs.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const started = performance.now();
  const ok = await tfjs.setBackend('wasm');
  const startMs = performance.now() - started;
  globalThis.Blob = RealBlob;
  URL.createObjectURL = realCreateObjectURL;
  os.cpus = realCpus;
  if (!ok) {
    console.log(JSON.stringify({ threads, ok }));
    return;
  }
  const { installWasmKernels: install } = await import(pathToFileURL(kernelsModule).href);
  install();
  const time = (f, reps) => {
    f();
    let best = Number.POSITIVE_INFINITY;
    for (let t = 0; t < 3; t++) {
      const s = performance.now();
      for (let i = 0; i < reps; i++) f();
      best = Math.min(best, (performance.now() - s) / reps);
    }
    return best;
  };
  const x = tfjs.tensor(seeded(128 * 784, 1), [128, 784]);
  const w = tfjs.tensor(seeded(784 * 256, 2), [784, 256]);
  const big = tfjs.tensor(seeded(512 * 512, 3), [512, 512]);
  const img = tfjs.tensor(seeded(32 * 28 * 28 * 16, 4), [32, 28, 28, 16]);
  const filter = tfjs.tensor(seeded(3 * 3 * 16 * 32, 5), [3, 3, 16, 32]);
  // Read results outside tidy: tidy walks its return value, which for a typed array costs more than the product.
  const measure = (compute) => () => {
    const out = compute();
    out.dataSync();
    out.dispose();
  };
  const product = (a, b) => measure(() => tfjs.matMul(a, b));
  const results = {
    threads: wasm.getThreadsCount(),
    startMs: Math.round(startMs),
    denseMs: time(product(x, w), 20),
    big512Ms: time(product(big, big), 5),
    convMs: time(measure(() => tfjs.conv2d(img, filter, 1, 'same')), 5),
  };
  const model = createMlp(tfjs);
  const optimizer = tfjs.train.adam(1e-3);
  const data = batches(tfjs, 2);
  let i = 0;
  results.mlpStepMs = time(() => {
    const { x: bx, y: by } = data[i++ % 2];
    const loss = optimizer.minimize(() => tfjs.losses.softmaxCrossEntropy(by, model.apply(bx)), true);
    loss.dataSync();
    loss.dispose();
  }, 10);
  console.log(JSON.stringify(results));
}

/** Best (smallest) figures of two alternating rounds of child processes per thread count. */
function threadsTable() {
  const widths = [9, 9, 12, 14, 14, 12];
  const best = new Map();
  for (let round = 0; round < 2; round++) {
    for (const threads of [1, 2]) {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
        env: { ...process.env, MLSPEC_BENCH_THREADS: String(threads) },
        encoding: 'utf8',
        timeout: 300_000,
      });
      const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) {
        best.set(threads, { failed: (child.stderr || '').split('\n').find((l) => l.trim()) ?? 'no output' });
        continue;
      }
      const result = JSON.parse(line);
      const previous = best.get(threads);
      best.set(
        threads,
        previous === undefined || previous.failed
          ? result
          : Object.fromEntries(Object.entries(result).map(([key, value]) => [key, key === 'threads' ? value : Math.min(value, previous[key])])),
      );
    }
  }
  console.log('\nMultithreaded wasm (threaded SIMD build forced on; see the comment in this script), best of 2 processes');
  console.log(row(['threads', 'start ms', 'dense ms', '512^3 ms', 'conv ms', 'MLP step ms'], widths));
  for (const [threads, r] of best) {
    if (r.failed) {
      console.log(row([threads, 'failed', r.failed], widths));
      continue;
    }
    console.log(row([r.threads, r.startMs, r.denseMs.toFixed(2), r.big512Ms.toFixed(2), r.convMs.toFixed(2), r.mlpStepMs.toFixed(1)], widths));
  }
}

console.log(`Node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
await mlpTable();
await productTable();
await cnnTable();
if (args.has('--threads')) {
  threadsTable();
}
