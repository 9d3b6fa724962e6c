#!/usr/bin/env node
/**
 * `npm run fuzz`: feeds at least 100,000 generated inputs through mlspec (test/fuzz/pipeline.ts:
 * analyze, compile, dry run) in worker threads, and fails on any crash, hang or out-of-memory, and
 * on a semantic input (test/fuzz/semantic-specs.ts) that misses its documented diagnostic.
 *
 *   node scripts/fuzz.mjs [--runs 100000] [--seed 20240601] [--workers N] [--timeout-s 60] [--heap-mb 2048]
 *
 * The generators and the pipeline are the TypeScript files of test/fuzz/; they are transpiled
 * next to the built compiler (dist/test/fuzz/, so their `../../src/*.js` imports find dist/src/).
 * Inputs come in chunks; chunk k is fc.sample(fuzzInputs(), { seed: seed + k }), so a run with the
 * same seed and chunk size replays exactly. Every failing input is written, byte for byte, to
 * .scratch/fuzz-failures/ with a note of what happened; the summary names the files.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fuzzSources = path.join(root, 'test', 'fuzz');
const fuzzBuild = path.join(root, 'dist', 'test', 'fuzz');
const CHUNK = 1000;
/** A worker is replaced after this many chunks, so a slow leak cannot build up. */
const CHUNKS_PER_WORKER = 10;

if (isMainThread) await main();
else await work();

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '100000' },
      seed: { type: 'string', default: '20240601' },
      workers: { type: 'string', default: String(Math.max(1, Math.min(os.availableParallelism(), 8))) },
      'timeout-s': { type: 'string', default: '60' },
      'heap-mb': { type: 'string', default: '2048' },
    },
  });
  const runs = Number(values.runs);
  const seed = Number(values.seed);
  const workers = Number(values.workers);
  const timeoutMs = Number(values['timeout-s']) * 1000;
  const heapMb = Number(values['heap-mb']);
  if (![runs, seed, workers, timeoutMs, heapMb].every((n) => Number.isInteger(n) && n > 0)) {
    console.error('fuzz: --runs, --seed, --workers, --timeout-s and --heap-mb take positive whole numbers.');
    process.exit(2);
  }

  await transpileFuzzSources();
  const failuresDir = path.join(root, '.scratch', 'fuzz-failures');
  fs.rmSync(failuresDir, { recursive: true, force: true });

  const chunks = Math.ceil(runs / CHUNK);
  /** Work still to do: [chunk, first index]; a chunk resumes after a hung input. */
  const queue = Array.from({ length: chunks }, (_, k) => ({ chunk: k, from: 0, to: Math.min(CHUNK, runs - k * CHUNK) }));
  const stages = new Map();
  const failures = [];
  const slowest = [];
  let ran = 0;
  const started = Date.now();
  let lastReport = started;

  const record = (kind, job, index, input, detail) => {
    fs.mkdirSync(failuresDir, { recursive: true });
    const base = path.join(failuresDir, `${kind}-${failures.length + 1}`);
    fs.writeFileSync(`${base}.mlspec`, input?.source ?? '');
    const note = [`${kind} of input ${job.chunk * CHUNK + index} (chunk ${job.chunk}, index ${index}, seed ${seed + job.chunk}, generator ${input?.kind})`, `analyzed as ${input?.file}`, '', detail, ''];
    fs.writeFileSync(`${base}.txt`, note.join('\n'));
    failures.push({ kind, file: `${base}.mlspec` });
    console.error(`fuzz: ${kind} on input ${job.chunk * CHUNK + index} (${input?.kind}); written to ${path.relative(root, base)}.mlspec`);
  };

  await new Promise((resolveAll) => {
    let active = 0;
    const startWorker = () => {
      if (queue.length === 0) {
        if (active === 0) resolveAll();
        return;
      }
      active += 1;
      const worker = new Worker(fileURLToPath(import.meta.url), {
        workerData: { seed, chunkSize: CHUNK },
        resourceLimits: { maxOldGenerationSizeMb: heapMb },
      });
      let job = null;
      let current = null;
      let chunksDone = 0;
      let finished = false;
      let ready = false;
      const next = () => {
        job = chunksDone < CHUNKS_PER_WORKER ? queue.shift() ?? null : null;
        if (job) worker.postMessage(job);
        else {
          finished = true;
          void worker.terminate();
        }
      };
      const watchdog = setInterval(() => {
        if (current && Date.now() - current.since > timeoutMs) {
          clearInterval(watchdog);
          record('hang', job, current.index, current.input, `no answer within ${timeoutMs / 1000} s`);
          ran += 1;
          if (current.index + 1 < job.to) queue.unshift({ ...job, from: current.index + 1 });
          finished = true;
          current = null;
          void worker.terminate();
        }
      }, 1000);
      worker.on('message', (message) => {
        if (message.type === 'ready') {
          ready = true;
          next();
        }
        else if (message.type === 'start') current = { index: message.index, input: message.input, since: Date.now() };
        else if (message.type === 'done') {
          ran += 1;
          stages.set(message.stage, (stages.get(message.stage) ?? 0) + 1);
          slowest.push({ ms: message.ms, kind: current?.input.kind, n: job.chunk * CHUNK + message.index });
          slowest.sort((a, b) => b.ms - a.ms).splice(5);
          current = null;
        } else if (message.type === 'crash') {
          ran += 1;
          stages.set('crash', (stages.get('crash') ?? 0) + 1);
          record('crash', job, message.index, current?.input, message.error);
          current = null;
        } else if (message.type === 'chunk-done') {
          chunksDone += 1;
          next();
        }
        if (Date.now() - lastReport > 30_000) {
          lastReport = Date.now();
          console.log(`fuzz: ${ran}/${runs} inputs, ${failures.length} failures, ${((Date.now() - started) / 1000).toFixed(0)} s`);
        }
      });
      worker.on('error', (error) => {
        if (!ready) {
          // The harness itself does not load (a build problem): retrying would loop forever.
          console.error(`fuzz: a worker could not start: ${error.stack ?? error}`);
          process.exit(2);
        }
        // Out of memory in a worker (ERR_WORKER_OUT_OF_MEMORY) ends that worker only.
        if (current) {
          record(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crash', job, current.index, current.input, String(error.stack ?? error));
          ran += 1;
          if (current.index + 1 < job.to) queue.unshift({ ...job, from: current.index + 1 });
          current = null;
        } else if (job) {
          console.error(`fuzz: a worker failed outside an input: ${error.stack ?? error}`);
          queue.unshift(job);
        }
        finished = true;
      });
      worker.on('exit', () => {
        clearInterval(watchdog);
        if (!finished && job) queue.unshift(job);
        active -= 1;
        startWorker();
        if (active === 0 && queue.length === 0) resolveAll();
      });
    };
    for (let i = 0; i < Math.min(workers, queue.length); i++) startWorker();
  });

  const seconds = (Date.now() - started) / 1000;
  const crashes = failures.length;
  console.log(`\nfuzz: ran ${ran} inputs (seed ${seed}, ${workers} workers) in ${seconds.toFixed(0)} s: ${crashes} crash${crashes === 1 ? '' : 'es'}` +
    ` (${failures.filter((f) => f.kind === 'hang').length} hangs, ${failures.filter((f) => f.kind === 'out-of-memory').length} out of memory).`);
  console.log(`fuzz: outcomes: ${[...stages].sort().map(([s, n]) => `${s} ${n}`).join(', ')}.`);
  console.log(`fuzz: slowest inputs: ${slowest.map((s) => `#${s.n} ${s.kind} ${s.ms.toFixed(0)} ms`).join(', ')}.`);
  if (crashes > 0) {
    console.log(`fuzz: failing inputs are in ${path.relative(root, failuresDir)}/ (each .mlspec with a .txt note).`);
    process.exit(1);
  }
}

/** Transpiles test/fuzz/*.ts (not the tests) to dist/test/fuzz/*.js; type checking is tsc's job. */
async function transpileFuzzSources() {
  const ts = (await import('typescript')).default;
  fs.mkdirSync(fuzzBuild, { recursive: true });
  for (const name of fs.readdirSync(fuzzSources)) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const source = fs.readFileSync(path.join(fuzzSources, name), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
      fileName: name,
    });
    fs.writeFileSync(path.join(fuzzBuild, name.replace(/\.ts$/, '.js')), outputText);
  }
}

async function work() {
  const fc = (await import('fast-check')).default;
  const { fuzzInputs } = await import(pathToFileURL(path.join(fuzzBuild, 'inputs.js')).href);
  const { exerciseSpec, prepareFuzzRuntime } = await import(pathToFileURL(path.join(fuzzBuild, 'pipeline.js')).href);
  const { semanticMismatch } = await import(pathToFileURL(path.join(fuzzBuild, 'semantic-specs.js')).href);
  const { analyze } = await import(pathToFileURL(path.join(root, 'dist', 'src', 'frontend.js')).href);
  await prepareFuzzRuntime();
  const arbitrary = fuzzInputs(root);
  parentPort.on('message', async (job) => {
    const inputs = fc.sample(arbitrary, { seed: workerData.seed + job.chunk, numRuns: workerData.chunkSize });
    for (let index = job.from; index < job.to; index++) {
      const input = inputs[index];
      parentPort.postMessage({ type: 'start', index, input });
      const t = performance.now();
      try {
        const outcome = await exerciseSpec(input.source, input.file);
        // A semantic input must also get its documented diagnostic (test/fuzz/semantic-specs.ts).
        const mismatch = input.semantic ? semanticMismatch(input.semantic, analyze(input.source, input.file).diagnostics) : null;
        if (mismatch) throw new Error(`missing diagnostic: ${mismatch}`);
        parentPort.postMessage({ type: 'done', index, stage: outcome.stage, ms: performance.now() - t });
      } catch (error) {
        parentPort.postMessage({ type: 'crash', index, error: String(error?.stack ?? error) });
      }
    }
    parentPort.postMessage({ type: 'chunk-done' });
  });
  parentPort.postMessage({ type: 'ready' });
}
