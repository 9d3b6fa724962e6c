#!/usr/bin/env node
/**
 * mlspec's benchmark suite (`npm run bench`): everything side by side in one run, on the same
 * data and models, printed as markdown (keep the output in docs/benchmarks.md).
 *
 *   1. MLP 784-256-128-10, Adam, batch 128: mlspec run, the compiled program and stock tfjs
 *      model.fit, each on wasm and cpu; samples/s and the ratio to stock wasm model.fit; and
 *      mlspec on wasm with the stock kernels (MLSPEC_WASM_KERNELS=stock). Losses with mlspec's
 *      kernels against the stock ones (bench/loss-agreement.mjs): at every step of a run from the
 *      same weights and batch, and free-running against each other and the cpu backend.
 *   2. The digits CNN and the transformer example: mlspec run against model.fit of the same model.
 *   3. `mlspec check` and `mlspec compile` latency on every example, cold processes.
 *   4. Peak memory (max RSS) of each training run.
 *
 *   npm run bench               (builds first)
 *   node bench/run-all.mjs --quick   fewer epochs and repetitions
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const bin = path.join(root, 'bin', 'mlspec.js');
const scratch = fs.mkdtempSync(path.join(root, '.scratch', 'bench-'));
const rssHook = path.join(root, 'bench', 'report-rss.cjs');
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs node with args; returns stdout, the wall time and the child's peak RSS in MiB. */
function node(args, env = {}) {
  const rssFile = path.join(scratch, `rss-${process.hrtime.bigint()}.txt`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', rssHook, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, ...env, MLSPEC_RSS_FILE: rssFile, NO_COLOR: '1' },
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const rss = fs.existsSync(rssFile) ? Number(fs.readFileSync(rssFile, 'utf8')) / 1024 : NaN;
  return { stdout: r.stdout, ms, rssMiB: rss };
}

const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').at(-1));

function mlspecRun(spec, backend, epochs, env = {}) {
  const out = path.join(scratch, `run-${path.basename(spec)}-${backend}-${process.hrtime.bigint()}`);
  const r = node([bin, 'run', spec, '--backend', backend, '--epochs', String(epochs), '--json', '--out', out], env);
  return { samplesPerS: lastJson(r.stdout).samples_per_s, rssMiB: r.rssMiB };
}

/** The compiled folder's TypeScript as JavaScript in place (what its `npm run train` does with tsc, types only stripped). */
function transpileFolder(dir) {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
    fs.writeFileSync(file.replace(/\.ts$/, '.js'), js.outputText);
  }
}

function compiledRun(spec, backend, epochs) {
  const folder = path.join(scratch, `${path.basename(spec, '.mlspec')}-program`);
  if (!fs.existsSync(path.join(folder, 'train.js'))) {
    node([bin, 'compile', spec, '-o', folder]);
    transpileFolder(folder);
  }
  const out = path.join(scratch, `compiled-${backend}-${process.hrtime.bigint()}`);
  const r = node([path.join(folder, 'train.js'), '--backend', backend, '--epochs', String(epochs), '--json', '--out', out]);
  return { samplesPerS: lastJson(r.stdout).samples_per_s, rssMiB: r.rssMiB };
}

function fitBaseline(spec, backend, epochs, mlspecKernels = false) {
  const r = node([path.join(root, 'bench', 'fit-baseline.mjs'), spec, '--backend', backend, '--epochs', String(epochs), ...(mlspecKernels ? ['--mlspec-kernels'] : [])]);
  return { samplesPerS: lastJson(r.stdout).samples_per_s, rssMiB: r.rssMiB };
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const lines = [];
const say = (text = '') => {
  lines.push(text);
  console.log(text);
};

say(`# mlspec benchmarks`);
say();
say(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}. Run: ${new Date().toISOString().slice(0, 10)}${quick ? ' (--quick)' : ''}.`);
say();

// 1. MLP ---------------------------------------------------------------------------------------
const mlp = path.join(root, 'bench', 'specs', 'mlp.mlspec');
// 8 epochs = 256 steps: long enough that the first step's one-time set-up (about 70 ms: XNNPACK
// operators, the first touch of fresh memory) does not decide the figure, as in real training.
const epochs = quick ? 1 : 8;
const cpuEpochs = 1;
const rows = [
  ['mlspec run', 'wasm', () => mlspecRun(mlp, 'wasm', epochs)],
  ['compiled program', 'wasm', () => compiledRun(mlp, 'wasm', epochs)],
  ['stock tfjs model.fit', 'wasm', () => fitBaseline(mlp, 'wasm', epochs)],
  ['mlspec run, stock kernels', 'wasm', () => mlspecRun(mlp, 'wasm', epochs, { MLSPEC_WASM_KERNELS: 'stock' })],
  ['mlspec run', 'cpu', () => mlspecRun(mlp, 'cpu', cpuEpochs)],
  ['compiled program', 'cpu', () => compiledRun(mlp, 'cpu', cpuEpochs)],
  ['stock tfjs model.fit', 'cpu', () => fitBaseline(mlp, 'cpu', cpuEpochs)],
];
// On a shared machine one run can be 30% off either way: every row runs several times,
// interleaved (round-robin, so a slow spell hits every trainer), and reports the median.
const wasmReps = quick ? 1 : 5;
const cpuReps = quick ? 1 : 3;
const trials = rows.map(() => []);
for (let rep = 0; rep < wasmReps; rep++) {
  rows.forEach(([, backend, run], i) => {
    if (rep < (backend === 'wasm' ? wasmReps : cpuReps)) trials[i].push(run());
  });
}
const results = rows.map(([what, backend], i) => {
  const runs = trials[i];
  const speeds = runs.map((r) => r.samplesPerS);
  return { what, backend, ...runs[0], samplesPerS: median(speeds), low: Math.min(...speeds), high: Math.max(...speeds), rssMiB: median(runs.map((r) => r.rssMiB)) };
});
const stockWasm = results.find((r) => r.what === 'stock tfjs model.fit' && r.backend === 'wasm').samplesPerS;
say(`## MLP 784-256-128-10, Adam, batch 128, 4096 random samples (${epochs} epochs on wasm, ${cpuEpochs} on cpu)`);
say();
say(`samples/s: the median of ${wasmReps} interleaved runs on wasm and ${cpuReps} on cpu (their range in brackets).`);
say();
say('| trainer | backend | samples/s | vs stock wasm model.fit | peak RSS (MiB) |');
say('| --- | --- | ---: | ---: | ---: |');
for (const r of results) {
  const range = r.low === r.high ? '' : ` (${fmt(r.low)}–${fmt(r.high)})`;
  say(`| ${r.what} | ${r.backend} | ${fmt(r.samplesPerS)}${range} | ${fmt(r.samplesPerS / stockWasm, 2)}× | ${fmt(r.rssMiB)} |`);
}
say();
const patched = results.find((r) => r.what === 'mlspec run' && r.backend === 'wasm');
const compiledWasm = results.find((r) => r.what === 'compiled program' && r.backend === 'wasm');
const freeEpochs = quick ? 1 : 3;
const forced = lastJson(node([path.join(root, 'bench', 'loss-agreement.mjs'), mlp, '--epochs', String(epochs), '--free-epochs', String(freeEpochs)]).stdout);
const free = forced.free_running;
const agreement = (c) =>
  c.first_step_over_1e5 === null ? `within 1e-5 at every step (largest ${c.max_rel_loss.toExponential(2)})` : `over 1e-5 from step ${c.first_step_over_1e5} (largest ${c.max_rel_loss.toExponential(2)})`;
say(`- mlspec on wasm trains ${fmt(patched.samplesPerS / stockWasm, 2)}× as many samples/s as stock \`model.fit\` on wasm (goal: at least 4×).`);
say(
  `- Losses with mlspec's kernels against the stock kernels, at every one of the ${forced.steps} steps of the run computed from the same weights and batch (bench/loss-agreement.mjs): ` +
    `largest relative difference of the loss ${forced.max_rel_loss.toExponential(2)}, of a gradient ${forced.max_rel_grad.toExponential(2)} (goal: at most 1e-5).`,
);
say(
  `- Free-running, the same ${free.steps} steps trained three times: mlspec's wasm kernels against the stock wasm kernels: ${agreement(free.mlspec_vs_stock)}; ` +
    `mlspec's wasm kernels against tfjs's cpu backend: ${agreement(free.mlspec_vs_cpu)}; stock wasm kernels against the cpu backend: ${agreement(free.stock_vs_cpu)}.`,
);
// Each round runs mlspec and then the compiled program, so a round's two runs share the machine's
// state: the median of the per-round ratios is the steadier comparison of the two.
const runTrials = trials[rows.findIndex(([what, backend]) => what === 'mlspec run' && backend === 'wasm')];
const compiledTrials = trials[rows.findIndex(([what, backend]) => what === 'compiled program' && backend === 'wasm')];
const pairedRatio = median(compiledTrials.map((c, i) => c.samplesPerS / runTrials[i].samplesPerS));
say(
  `- The compiled program runs at ${fmt((compiledWasm.samplesPerS / patched.samplesPerS) * 100, 1)}% of \`mlspec run\`'s speed on wasm by the medians, ` +
    `${fmt(pairedRatio * 100, 1)}% by the median of the ${runTrials.length} rounds' ratios (goal: within 5%).`,
);
say();

// 2. CNN and transformer ---------------------------------------------------------------------
say('## Examples: mlspec run against model.fit of the same model (wasm)');
say();
say('| example | epochs | mlspec run samples/s | model.fit samples/s | ratio | mlspec peak RSS (MiB) |');
say('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const name of ['digits_cnn', 'reverse_transformer']) {
  const spec = path.join(root, 'examples', `${name}.mlspec`);
  const n = quick ? 1 : 2;
  const ours = mlspecRun(spec, 'wasm', n);
  // Stock wasm lacks Conv2DBackpropFilter and UnsortedSegmentSum, so model.fit gets mlspec's kernel fills too.
  const theirs = fitBaseline(spec, 'wasm', n, true);
  say(`| ${name} | ${n} | ${fmt(ours.samplesPerS)} | ${fmt(theirs.samplesPerS)} | ${fmt(ours.samplesPerS / theirs.samplesPerS, 2)}× | ${fmt(ours.rssMiB)} |`);
}
say();
say('model.fit runs on wasm with mlspec\'s kernel fixes installed: without them neither model can train on wasm (no Conv2DBackpropFilter, no UnsortedSegmentSum).');
say();

// 3. Latency -----------------------------------------------------------------------------------
say('## Latency of `mlspec check` and `mlspec compile` (cold process, median of ' + (quick ? 1 : 3) + ')');
say();
say('| example | check (ms) | compile (ms) |');
say('| --- | ---: | ---: |');
const reps = quick ? 1 : 3;
for (const file of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.mlspec')).sort()) {
  const spec = path.join(root, 'examples', file);
  const check = median(Array.from({ length: reps }, () => node([bin, 'check', spec]).ms));
  const compile = median(
    Array.from({ length: reps }, (_, i) => node([bin, 'compile', spec, '-o', path.join(scratch, `lat-${file}-${i}`)]).ms),
  );
  say(`| ${file} | ${fmt(check)} | ${fmt(compile)} |`);
}
say();
say(`Node's own start-up here: ${fmt(median(Array.from({ length: reps }, () => node(['-e', '0']).ms)))} ms.`);
say();
say('Reproduce: `npm run bench` (or `node bench/run-all.mjs --quick` after `npm run build`).');

// --write replaces the generated part of docs/benchmarks.md (between the markers), keeping the
// hand-written reading of the numbers below it.
if (process.argv.includes('--write')) {
  const file = path.join(root, 'docs', 'benchmarks.md');
  const [start, end] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const generated = `${start}\n${lines.join('\n')}\n${end}`;
  const from = old.indexOf(start);
  const to = old.indexOf(end);
  fs.writeFileSync(file, from !== -1 && to > from ? `${old.slice(0, from)}${generated}${old.slice(to + end.length)}` : `${generated}\n`);
  console.error('wrote docs/benchmarks.md');
}
