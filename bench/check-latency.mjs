#!/usr/bin/env node
// Latency of `mlspec check` on every example, each run a cold `node` process (what a user or an
// editor integration pays per file). Prints a markdown table of milliseconds.
//
//   npm run build && node bench/check-latency.mjs [repetitions]   (default 7)
//
// The target is under 500 ms per check. The first row, `node -e 0`, is Node's own start-up cost
// on this machine, for comparison. Besides wall time, each process reports the CPU time it used
// (all threads, from process.cpuUsage() at exit): on a busy machine wall time grows with the
// load, CPU time much less, so it is the better measure of what the check itself costs.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const repetitions = Number(process.argv[2] ?? process.env.REPETITIONS ?? 7);
const targetMs = 500;
const bin = path.join(root, 'bin', 'mlspec.js');

if (!fs.existsSync(path.join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.error('bench/check-latency.mjs: dist/ is missing; run `npm run build` first.');
  process.exit(2);
}

// Loaded before the measured program; prints its CPU use when the process exits.
const cpuReporter = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-us '+(u.user+u.system)+'\\n')})`;

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', cpuReporter, ...args], { cwd: root, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  const cpu = Number(/cpu-us (\d+)/.exec(result.stderr)?.[1] ?? NaN) / 1000;
  return { wall, cpu };
}

function measure(args) {
  const runs = Array.from({ length: repetitions }, () => time(args));
  return { wall: stats(runs.map((r) => r.wall)), cpu: stats(runs.map((r) => r.cpu)) };
}

function stats(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const examples = fs
  .readdirSync(path.join(root, 'examples'))
  .filter((name) => name.endsWith('.mlspec'))
  .sort();

const rows = [['node -e 0 (baseline)', measure(['-e', '0'])]];
for (const name of examples) {
  const file = path.join('examples', name);
  time([bin, 'check', file]); // warm the file cache once; every measured run is still a new process
  rows.push([`check ${file}`, measure([bin, 'check', file])]);
}

const fmt = (ms) => ms.toFixed(0);
console.log(`mlspec check latency: ${repetitions} cold processes each, Node ${process.version}, ${new Date().toISOString()}\n`);
console.log('| command | median ms | min ms | max ms | median CPU ms |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const [label, s] of rows) console.log(`| ${label} | ${fmt(s.wall.median)} | ${fmt(s.wall.min)} | ${fmt(s.wall.max)} | ${fmt(s.cpu.median)} |`);
const slow = rows.slice(1).filter(([, s]) => s.wall.median >= targetMs);
console.log(slow.length === 0 ? `\nEvery check is under the ${targetMs} ms target.` : `\n${slow.length} check(s) at or above the ${targetMs} ms target.`);
