#!/usr/bin/env node
// Latency of `mlspec check` on every example, each run a cold `node` process (what a user or an
// editor integration pays per file). Prints a markdown table of milliseconds.
//
//   npm run build && node bench/check-latency.mjs [repetitions]   (default 7)
//
// The target is under 500 ms per check. The first row, `node -e 0`, is Node's own start-up cost
// on this machine, for comparison.
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

function time(args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  return ms;
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

const rows = [['node -e 0 (baseline)', stats(Array.from({ length: repetitions }, () => time(['-e', '0'])))]];
for (const name of examples) {
  const file = path.join('examples', name);
  time([bin, 'check', file]); // warm the file cache once; every measured run is still a new process
  rows.push([`check ${file}`, stats(Array.from({ length: repetitions }, () => time([bin, 'check', file])))]);
}

const fmt = (ms) => ms.toFixed(0);
console.log(`mlspec check latency: ${repetitions} cold processes each, Node ${process.version}, ${new Date().toISOString()}\n`);
console.log('| command | median ms | min ms | max ms |');
console.log('| --- | ---: | ---: | ---: |');
for (const [label, s] of rows) console.log(`| ${label} | ${fmt(s.median)} | ${fmt(s.min)} | ${fmt(s.max)} |`);
const slow = rows.slice(1).filter(([, s]) => s.median >= targetMs);
console.log(slow.length === 0 ? `\nEvery check is under the ${targetMs} ms target.` : `\n${slow.length} check(s) at or above the ${targetMs} ms target.`);
