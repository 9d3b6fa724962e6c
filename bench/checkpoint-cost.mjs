#!/usr/bin/env node
// What the default checkpoints (every epoch end, every 60 s within an epoch, no checkpoint
// settings in the spec) cost, measured inside one run: summary.json's `checkpoints.seconds`
// (the periodic checkpoints written by the training loop, fsyncs included) over `training_s`
// (the whole training loop). A ratio within one run is immune to the machine's load drifting
// between runs, which on a shared machine is larger than the cost itself.
//
//   npm run build && node bench/checkpoint-cost.mjs [example ...]   (default: iris breast_cancer classic digits_cnn)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'mlspec.js');
const examples = process.argv.length > 2 ? process.argv.slice(2) : ['iris', 'breast_cancer', 'classic', 'digits_cnn'];
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-checkpoint-cost-'));

console.log('| example | epochs | steps | training loop | checkpoints | their time | share |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
try {
  for (const name of examples) {
    const out = path.join(work, name);
    const spec = path.join(root, 'examples', `${name}.mlspec`);
    const result = spawnSync(process.execPath, [bin, 'run', spec, '--out', out, '--json', '--backend', 'wasm'], { cwd: root, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`mlspec run ${name} exited with ${result.status}: ${result.stderr}`);
    const s = JSON.parse(result.stdout);
    const share = s.training_s > 0 ? (100 * s.checkpoints.seconds) / s.training_s : 0;
    console.log(
      `| ${name} | ${s.epochs_run} | ${s.steps} | ${s.training_s.toFixed(2)} s | ${s.checkpoints.count} | ${(1000 * s.checkpoints.seconds).toFixed(0)} ms | ${share.toFixed(1)}% |`,
    );
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
