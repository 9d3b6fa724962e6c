#!/usr/bin/env node
/**
 * GPU benchmark (run through bench/gpu.sh): training throughput of mlspec on webgpu against
 * mlspec on wasm (the embedded default) and stock tfjs `model.fit` on webgpu, for the MLP
 * 784-256-128-10 at batch 128 and 1024, the digits CNN and the transformer example. Prints the
 * adapter and a markdown table (samples/s and ratios) for docs/benchmarks.md.
 *
 * Each figure is samples/s of the training loop as the run reports it (summary.json), or of
 * model.fit's wall time for the baseline; the first epoch (shader compilation) is included, so
 * runs have several epochs. On a software adapter (SwiftShader) the workloads are shrunk
 * (--quick is implied): the numbers then only show that the script works.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'mlspec.js');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-gpu-bench-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

function node(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} failed (${r.status}):\n${r.stderr.split('\n').filter((l) => !/XDG_RUNTIME_DIR/.test(l)).join('\n')}`);
  return r.stdout;
}
const lastJson = (stdout) => JSON.parse(stdout.trim().split('\n').at(-1));

const { startWebgpu, describeAdapter } = await import(pathToFileURL(path.join(root, 'dist/src/runtime/webgpu.js')).href);
let adapter;
try {
  adapter = await startWebgpu({ allowSoftware: true });
} catch (error) {
  console.error(`bench/gpu.mjs: ${error.message}`);
  process.exit(2);
}
const quick = process.argv.includes('--quick') || adapter.fallback;
console.log(`adapter: ${describeAdapter(adapter)}; vendor ${adapter.vendor || '?'}, architecture ${adapter.architecture || '?'}, device ${adapter.device || '?'}`);
console.log(`node ${process.version}, ${os.cpus().length} CPU cores (${os.cpus()[0]?.model ?? '?'})${quick ? '; quick mode (shrunk workloads)' : ''}\n`);

/** A copy of `spec` (and a sample of its CSV) in the scratch folder, with text replacements. */
function variant(name, spec, edits, csv) {
  const dir = path.join(scratch, name);
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  let source = fs.readFileSync(path.join(root, spec), 'utf8');
  for (const [from, to] of edits) source = source.replace(from, to);
  if (csv) {
    const [header, ...rows] = fs.readFileSync(path.join(root, 'examples', csv.file), 'utf8').split('\n').filter(Boolean);
    fs.writeFileSync(path.join(dir, csv.file), `${[header, ...rows.filter((_, i) => i % csv.every === 0)].join('\n')}\n`);
  }
  const file = path.join(dir, `${name}.mlspec`);
  fs.writeFileSync(file, source);
  return file;
}

const workloads = [
  {
    name: 'MLP 784-256-128-10, batch 128',
    spec: variant('mlp128', 'bench/specs/mlp.mlspec', quick ? [[/samples: 4096/, 'samples: 512']] : []),
    epochs: quick ? 1 : 5,
  },
  {
    name: 'MLP 784-256-128-10, batch 1024',
    spec: variant('mlp1024', 'bench/specs/mlp.mlspec', [[/batch: 128/, 'batch: 1024'], ...(quick ? [[/samples: 4096/, 'samples: 2048']] : [[/samples: 4096/, 'samples: 12288']])]),
    epochs: quick ? 1 : 5,
  },
  {
    name: 'digits CNN (examples/digits_cnn.mlspec)',
    spec: variant('digits', 'examples/digits_cnn.mlspec', [], { file: 'data/digits.csv', every: quick ? 23 : 1 }),
    epochs: quick ? 1 : 5,
  },
  {
    name: 'transformer (examples/reverse_transformer.mlspec)',
    spec: variant('transformer', 'examples/reverse_transformer.mlspec', quick ? [[/samples: \d+/, 'samples: 160']] : []),
    epochs: quick ? 1 : 3,
  },
];

function mlspecRun(spec, backend, epochs) {
  const out = path.join(scratch, `run-${process.hrtime.bigint()}`);
  return lastJson(node([bin, 'run', spec, '--backend', backend, '--epochs', String(epochs), '--json', '--out', out])).samples_per_s;
}
function fitRun(spec, epochs) {
  return lastJson(node([path.join(root, 'bench/fit-baseline.mjs'), spec, '--backend', 'webgpu', '--epochs', String(epochs)])).samples_per_s;
}

const rows = [];
for (const w of workloads) {
  const started = Date.now();
  const gpu = mlspecRun(w.spec, 'webgpu', w.epochs);
  const wasm = mlspecRun(w.spec, 'wasm', w.epochs);
  const fit = fitRun(w.spec, w.epochs);
  rows.push([w.name, gpu, wasm, fit]);
  console.error(`${w.name}: done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const f = (x) => (x >= 100 ? Math.round(x).toString() : x.toFixed(1));
console.log('| workload | mlspec webgpu (samples/s) | mlspec wasm | model.fit webgpu | webgpu / wasm | mlspec / model.fit on webgpu |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, gpu, wasm, fit] of rows) {
  console.log(`| ${name} | ${f(gpu)} | ${f(wasm)} | ${f(fit)} | ${(gpu / wasm).toFixed(2)}x | ${(gpu / fit).toFixed(2)}x |`);
}
process.exit(0);
