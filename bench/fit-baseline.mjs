#!/usr/bin/env node
/**
 * The hand-written TensorFlow.js baseline of bench/run-all.mjs: the same model trained with
 * stock `model.fit` (Adam, the same batch size), on the same data that mlspec prepares.
 *
 *   node bench/fit-baseline.mjs SPEC --backend wasm|cpu|webgpu --epochs N [--mlspec-kernels]
 *
 * On wasm the stock backend is used unless --mlspec-kernels is given (the CNN needs mlspec's
 * fills for kernels that stock wasm lacks). webgpu is stock tfjs-backend-webgpu on Dawn, started
 * as mlspec starts it (mlspec adds no kernels there). Prints one JSON line: { samples_per_s, final_loss }.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => pathToFileURL(path.join(root, 'dist', 'src', p)).href;
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'wasm' }, epochs: { type: 'string', default: '2' }, 'mlspec-kernels': { type: 'boolean' } },
});
const specFile = path.resolve(positionals[0]);

const tf = await import('@tensorflow/tfjs');
await import('@tensorflow/tfjs-backend-wasm');
tf.enableProdMode();
if (values.backend === 'webgpu') {
  await (await import(dist('runtime/webgpu.js'))).startWebgpu({ allowSoftware: true });
} else {
  await tf.setBackend(values.backend);
}
await tf.ready();
if (values.backend === 'wasm' && values['mlspec-kernels']) (await import(dist('runtime/kernels/installWasmKernels.js'))).installWasmKernels();

const { analyze } = await import(dist('frontend.js'));
const { lowerSpec } = await import(dist('lower/lower.js'));
const { prepareData } = await import(dist('runtime/data/prepare.js'));
const { buildModel } = await import(dist('runtime/model.js'));

const source = fs.readFileSync(specFile, 'utf8');
const { ir } = analyze(source, specFile);
const plan = lowerSpec(ir, source);
const data = prepareData(plan.data, { baseDir: path.dirname(specFile), seed: plan.seed });
const { model } = buildModel(plan.graph, plan.seed);
const fromLogits = plan.loss.args[0]?.from_logits === true;
// Keras-style targets for model.fit: one-hot class labels and a stock cross-entropy.
const outputShape = model.outputs[0].shape.slice(1);
const classes = outputShape.at(-1);
const labelShape = [data.train.x.shape[0], ...outputShape.slice(0, -1)];
const y = plan.loss.$call === 'sparseCategoricalCrossEntropyLoss'
  ? tf.oneHot(data.train.y.cast('int32').reshape([-1]), classes).reshape([...labelShape, classes])
  : data.train.y;
const loss = plan.loss.$call === 'mseLoss' ? 'meanSquaredError' : fromLogits ? (t, p) => tf.losses.softmaxCrossEntropy(t, p) : 'categoricalCrossentropy';
model.compile({ optimizer: tf.train.adam(plan.learningRate), loss });
const batchSize = plan.batch === 'full' ? data.train.x.shape[0] : plan.batch;
const epochs = Number(values.epochs);
const started = performance.now();
const history = await model.fit(data.train.x, y, { batchSize, epochs, shuffle: true, verbose: 0 });
const seconds = (performance.now() - started) / 1000;
const samples = data.train.x.shape[0] * epochs;
console.log(JSON.stringify({ samples_per_s: samples / seconds, final_loss: history.history.loss.at(-1), seconds }));
