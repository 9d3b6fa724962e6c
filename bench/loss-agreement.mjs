#!/usr/bin/env node
/**
 * Do mlspec's wasm kernels compute the same losses and gradients as the stock ones, all along a
 * real training run? Trains SPEC on wasm with mlspec's kernels and, at every step, computes the
 * same step (same weights, same batch) with the stock kernels too, then continues with mlspec's.
 * Prints one JSON line: { steps, max_rel_loss, max_rel_grad }, where max_rel_grad is the largest
 * |g_mlspec - g_stock| / |g_stock| (L2 norms) over every step and variable.
 *
 *   node bench/loss-agreement.mjs SPEC [--epochs N]      (after npm run build)
 *
 * This is the per-step comparison: two free-running trainings drift apart once rounding
 * differences are amplified (bench/run-all.mjs reports that too), which says nothing about
 * whether the kernels agree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', 'src', p)).href;
const { values, positionals } = parseArgs({ allowPositionals: true, options: { epochs: { type: 'string', default: '3' } } });
const specFile = path.resolve(positionals[0] ?? path.join(root, 'bench', 'specs', 'mlp.mlspec'));

const tf = await import('@tensorflow/tfjs');
const { analyze } = await import(dist('frontend.js'));
const { lowerSpec } = await import(dist('lower/lower.js'));
const { evaluatePlan } = await import(dist('interpret/evaluate.js'));
const { selectBackend } = await import(dist('runtime/backend.js'));
const { prepareDataset } = await import(dist('runtime/data/prepare-dataset.js'));
const { buildModelWith } = await import(dist('runtime/model.js'));
const { createRng, deriveSeed, permutation } = await import(dist('runtime/rng.js'));
const { installWasmKernels, uninstallWasmKernels } = await import(dist('runtime/kernels/installWasmKernels.js'));

const source = fs.readFileSync(specFile, 'utf8');
const { ir } = analyze(source, specFile);
const plan = evaluatePlan(lowerSpec(ir, source), specFile);
await selectBackend('wasm');
tf.enableProdMode();
const seed = plan.seed;
const data = prepareDataset(plan.source, plan.data, { baseDir: path.dirname(specFile), seed });
const built = buildModelWith(plan.graph, seed, plan.layers);
const variables = built.model.trainableWeights.map((w) => w.read());
const n = data.train.x.shape[0];
const batch = plan.batch === 'full' ? n : plan.batch;

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
for (let epoch = 0; epoch < Number(values.epochs); epoch++) {
  const order = plan.shuffle ? permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch))) : [...Array(n).keys()];
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
console.log(JSON.stringify({ steps, max_rel_loss: maxRelLoss, max_rel_grad: maxRelGrad }));
