/**
 * `mlspec run SPEC --json` in a child process, with its wall time and peak RSS (bench/report-rss.cjs
 * writes the child's own maxRSS, so the parent's memory never counts): what the streaming benchmarks
 * (bench/stream.mjs, bench/stream-images.mjs) measure for each case.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'mlspec.js');
const rssHook = path.join(root, 'bench', 'report-rss.cjs');

/**
 * Trains `specFile` on `backend` (heap capped at `heapCapMiB` when given), in a scratch run folder
 * under `dir` that is removed afterwards. Returns the summary, stderr, wall seconds and peak RSS.
 */
export function measuredRun(specFile, { dir, backend, heapCapMiB = null }) {
  const out = path.join(dir, `run-${process.hrtime.bigint()}`);
  const rssFile = path.join(dir, `rss-${process.hrtime.bigint()}.txt`);
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...(heapCapMiB ? [`--max-old-space-size=${heapCapMiB}`] : []), '--require', rssHook, bin, 'run', specFile, '--backend', backend, '--json', '--out', out], {
    encoding: 'utf8',
    env: { ...process.env, MLSPEC_RSS_FILE: rssFile, NO_COLOR: '1' },
    maxBuffer: 64 << 20,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) throw new Error(`mlspec run ${specFile} failed (${r.status}):\n${r.stderr}`);
  const summary = JSON.parse(r.stdout.trim().split('\n').at(-1));
  const rssMiB = Number(fs.readFileSync(rssFile, 'utf8')) / 1024;
  fs.rmSync(out, { recursive: true, force: true });
  fs.rmSync(rssFile, { force: true });
  return { summary, stderr: r.stderr, seconds, rssMiB };
}
