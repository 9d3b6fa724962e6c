#!/usr/bin/env node
/**
 * Streamed CSV data (csv(..., stream: true), docs/semantics.md "Streamed data"): generates numeric
 * CSV files of 1,000,000 and 10,000,000 rows under the system's temporary folder (never in the
 * repository), trains one epoch of a small MLP on each, and prints rows/s and peak RSS as markdown
 * (keep the output in docs/benchmarks.md). The 10M file is over 512 MiB, so it is streamed by
 * default (what was refused before as E0501); the 1M file is trained both read at once and
 * streamed. Rows/s: training rows over the training loop's time (summary.training_s), and over the
 * whole process (reading passes included). Node grows its heap lazily when garbage is made fast
 * (parsing makes much), so each streamed case also runs with the heap capped at HEAP_CAP_MIB: it
 * fits, and its peak RSS is the bound that matters.
 *
 *   npm run build && node bench/stream.mjs            (both sizes; about 10 minutes on 2 cores)
 *   node bench/stream.mjs --rows 1000000               one size
 *   node bench/stream.mjs --keep                       keep the generated files for another run
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { measuredRun } from './measured-run.mjs';

const arg = (name) => {
  const at = process.argv.indexOf(name);
  return at < 0 ? null : process.argv[at + 1];
};
const sizes = arg('--rows') ? [Number(arg('--rows'))] : [1_000_000, 10_000_000];
const keep = process.argv.includes('--keep');
const backend = arg('--backend') ?? 'wasm';
const dir = path.join(os.tmpdir(), 'mlspec-bench-stream');
fs.mkdirSync(dir, { recursive: true });
const FEATURES = 8;
const BUFFER = 10_000;

/** y = a linear function of 8 features in [0, 1) plus noise, 6 decimals: about 80 bytes a row. */
function generate(rows) {
  const file = path.join(dir, `numeric-${rows}.csv`);
  if (fs.existsSync(file)) return file;
  const fd = fs.openSync(`${file}.part`, 'w');
  fs.writeSync(fd, `${Array.from({ length: FEATURES }, (_, j) => `x${j}`).join(',')},y\n`);
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  for (let start = 0; start < rows; start += 100_000) {
    const lines = [];
    for (let i = start; i < Math.min(rows, start + 100_000); i++) {
      const x = Array.from({ length: FEATURES }, next);
      const y = x.reduce((sum, v, j) => sum + v * (j - 3.5), 0) + (next() - 0.5) * 0.1;
      lines.push(`${x.map((v) => v.toFixed(6)).join(',')},${y.toFixed(6)}\n`);
    }
    fs.writeSync(fd, lines.join(''));
  }
  fs.closeSync(fd);
  fs.renameSync(`${file}.part`, file);
  return file;
}

const spec = (file, stream) => `
model {
  input(shape: [${FEATURES}])
  dense(32, activation: relu)
  dense(1)
}
data {
  source: csv("${file}", label: y${stream === null ? '' : `, stream: ${stream}`}, shuffle_buffer: ${BUFFER})
  normalize: zscore
  split { validation: 0.01 }
}
loss: mse
optimizer: adam(lr: 0.003)
train {
  epochs: 1
  batch: 1024
  seed: 1
}
`;

/** Heap limit of the capped runs: a streamed run fits in it whatever the file's size. */
const HEAP_CAP_MIB = 256;

function train(file, stream, capped = false) {
  const specFile = path.join(dir, `bench-${path.basename(file, '.csv')}-${stream}.mlspec`);
  fs.writeFileSync(specFile, spec(file, stream));
  const { summary, stderr, seconds, rssMiB } = measuredRun(specFile, { dir, backend, heapCapMiB: capped ? HEAP_CAP_MIB : null });
  const trainRows = Math.round(summary.samples_per_s * summary.training_s);
  const result = {
    rssMiB,
    seconds,
    trainRows,
    loopRowsPerS: summary.samples_per_s,
    rowsPerS: trainRows / seconds,
    valLoss: summary.validation?.loss,
    streamedNote: /is streamed/.test(stderr),
  };
  return result;
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
console.log(`Streamed CSV, one epoch of an MLP ${FEATURES}-32-1 (Adam, batch 1024, zscore, validation 1%, shuffle buffer ${BUFFER.toLocaleString('en-US')} rows) on ${backend}, ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}:`);
console.log('');
console.log('| rows | file | read | training rows/s (loop) | rows/s (whole run) | wall s | peak RSS MiB | val loss |');
console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
for (const rows of sizes) {
  const file = generate(rows);
  const mib = fs.statSync(file).size / 2 ** 20;
  const modes = mib > 512 ? [[null, false], [null, true]] : [[false, false], [true, false], [true, true]];
  for (const [stream, capped] of modes) {
    const r = train(file, stream, capped);
    const how = stream === false ? 'at once' : stream === true ? 'streamed' : r.streamedNote ? 'streamed (by default: over 512 MiB)' : 'at once';
    const read = capped ? `${how}, heap capped at ${HEAP_CAP_MIB} MiB` : how;
    console.log(`| ${fmt(rows)} | ${fmt(mib)} MiB | ${read} | ${fmt(r.loopRowsPerS)} | ${fmt(r.rowsPerS)} | ${fmt(r.seconds, 1)} | ${fmt(r.rssMiB)} | ${fmt(r.valLoss, 4)} |`);
  }
  if (!keep) fs.rmSync(file);
}
if (!keep) fs.rmSync(dir, { recursive: true, force: true });
