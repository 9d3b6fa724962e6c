#!/usr/bin/env node
/**
 * Do mlspec's wasm kernels compute the same losses and gradients as the stock ones, all along a
 * real training run? Trains SPEC on wasm with mlspec's kernels and, at every step, computes the
 * same step (same weights, same batch) with the stock kernels too, then continues with mlspec's.
 * Prints one JSON line: { steps, max_rel_loss, max_rel_grad, free_running }, where max_rel_grad
 * is the largest |g_mlspec - g_stock| / |g_stock| (L2 norms) over every step and variable.
 *
 *   node bench/loss-agreement.mjs SPEC [--epochs N] [--free-epochs M]     (after npm run build)
 *
 * Then, free-running: the same training (M epochs) three times, on wasm with mlspec's kernels,
 * on wasm with the stock kernels and on the cpu backend, each pair's losses compared as
 * { first_step_over_1e5, max_rel_loss }. With ReLU and Adam, once two runs' weights differ in
 * the last bit, a unit's input sooner or later crosses zero in one run and not the other, and
 * from there the runs differ for real; which run is the odd one out says whose arithmetic is off.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', 'src', p)).href;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { epochs: { type: 'string', default: '3' }, 'free-epochs': { type: 'string', default: '3' } },
});
const specFile = path.resolve(positionals[0] ?? path.join(root, 'bench', 'specs', 'mlp.mlspec'));

const tf = await import('@tensorflow/tfjs');
const { analyze } = await import(dist('frontend.js'));
const { lowerSpec } = await import(dist('lower/lower.js'));
const { evaluatePlan } = await import(dist('interpret/evaluate.js'));
const { selectBackend } = await import(dist('runtime/backend.js'));
const { prepareDataset } = await import(dist('runtime/data/prepare-dataset.js'));
const { createRng, deriveSeed, permutation } = await import(dist('runtime/rng.js'));
const { installWasmKernels, uninstallWasmKernels } = await import(dist('runtime/kernels/installWasmKernels.js'));

const source = fs.readFileSync(specFile, 'utf8');
const { ir } = analyze(source, specFile);
const description = lowerSpec(ir, source);
const plan = evaluatePlan(description, specFile);
await selectBackend('wasm');
tf.enableProdMode();
const seed = plan.seed;
const epochs = Number(values.epochs);
const freeEpochs = Number(values['free-epochs']);
const data = prepareDataset(plan.source, plan.data, { baseDir: path.dirname(specFile), seed });
const built = plan.buildModel(seed);
const variables = built.model.trainableWeights.map((w) => w.read());
const n = data.train.x.shape[0];
const batch = plan.batch === 'full' ? n : plan.batch;
const epochOrder = (epoch) => (plan.shuffle ? permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch))) : [...Array(n).keys()]);

const lossAndGrads = (x, y) =>
  tf.tidy(() => tf.variableGrads(() => {
    const l = plan.loss.compute(y, built.model.apply(x, { training: true }));
    const p = built.penalty();
    return p ? l.add(p) : l;
  }, variables));
const relative = (a, b) => tf.tidy(() => a.sub(b).norm().div(b.norm().add(1e-30)).dataSync()[0]);

let steps = 0;
let maxRelLoss = 0;
let maxRelGrad = 0;
for (let epoch = 0; epoch < epochs; epoch++) {
  const order = epochOrder(epoch);
  for (let start = 0; start < n; start += batch) {
    const index = tf.tensor1d(order.slice(start, start + batch), 'int32');
    const x = tf.gather(data.train.x, index);
    const y = tf.gather(data.train.y, index);
    const ours = lossAndGrads(x, y);
    uninstallWasmKernels();
    const stock = lossAndGrads(x, y);
    installWasmKernels();
    const a = ours.value.dataSync()[0];
    const b = stock.value.dataSync()[0];
    maxRelLoss = Math.max(maxRelLoss, Math.abs(a - b) / Math.abs(b));
    for (const v of variables) maxRelGrad = Math.max(maxRelGrad, relative(ours.grads[v.name], stock.grads[v.name]));
    plan.optimizer.apply(variables, variables.map((v) => ours.grads[v.name]), plan.learningRate);
    tf.dispose([index, x, y, ours.value, stock.value, ...Object.values(ours.grads), ...Object.values(stock.grads)]);
    steps += 1;
  }
}

/**
 * The step losses of a free-running training of `freeEpochs` epochs on one of three set-ups:
 * wasm with mlspec's kernels, wasm with the stock kernels, or tfjs's cpu backend (plain
 * JavaScript, whose products add up in double precision: the closest thing to a reference).
 */
async function freeRunningLosses(setup) {
  if (setup === 'cpu') {
    await tf.setBackend('cpu');
  } else {
    await tf.setBackend('wasm');
    if (setup === 'wasm-stock') uninstallWasmKernels();
  }
  const run = evaluatePlan(description, specFile);
  const model = run.buildModel(seed);
  const vars = model.model.trainableWeights.map((w) => w.read());
  const losses = [];
  for (let epoch = 0; epoch < freeEpochs; epoch++) {
    const order = epochOrder(epoch);
    for (let start = 0; start < n; start += batch) {
      const { value, grads } = tf.tidy(() => {
        const index = tf.tensor1d(order.slice(start, start + batch), 'int32');
        const x = tf.gather(data.train.x, index);
        const y = tf.gather(data.train.y, index);
        return tf.variableGrads(() => run.loss.compute(y, model.model.apply(x, { training: true })), vars);
      });
      losses.push(value.dataSync()[0]);
      run.optimizer.apply(vars, vars.map((v) => grads[v.name]), run.learningRate);
      tf.dispose([value, ...Object.values(grads)]);
    }
  }
  run.optimizer.dispose();
  model.model.dispose();
  installWasmKernels();
  await tf.setBackend('wasm');
  return losses;
}

/** Where two loss sequences first differ by more than 1e-5 relative (1-based; null: never), and their largest difference. */
function compareLosses(a, b) {
  const diffs = a.map((l, i) => Math.abs(l - b[i]) / Math.abs(b[i]));
  return { first_step_over_1e5: diffs.findIndex((d) => d > 1e-5) + 1 || null, max_rel_loss: Math.max(...diffs) };
}

const free = {};
for (const setup of ['wasm-mlspec', 'wasm-stock', 'cpu']) free[setup] = await freeRunningLosses(setup);
const freeRunning = {
  steps: free.cpu.length,
  mlspec_vs_stock: compareLosses(free['wasm-mlspec'], free['wasm-stock']),
  mlspec_vs_cpu: compareLosses(free['wasm-mlspec'], free.cpu),
  stock_vs_cpu: compareLosses(free['wasm-stock'], free.cpu),
};
console.log(JSON.stringify({ steps, max_rel_loss: maxRelLoss, max_rel_grad: maxRelGrad, free_running: freeRunning }));
