/**
 * `mlspec sweep SPEC --set PATH=V1,V2 ...`: a grid (every combination) or `--random N` (ranges:
 * uniform, loguniform, choice; seeded) of trials, each a normal `mlspec run` in a worker process
 * (src/sweep/run-sweep.ts), `--parallel K` at a time, under one sweep folder with sweep.json.
 * `mlspec sweep --resume DIR` continues an interrupted sweep. Ends with the leaderboard on stdout
 * and DIR/compare.html.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Command } from 'commander';
import { BACKEND_NAMES } from '../../runtime/backend.js';
import { compareHtml } from '../../compare/html.js';
import { leaderboardText, loadComparison, readSweep, SWEEP_FILE, type SweepRecord, type SweepTrialRecord } from '../../compare/runs.js';
import { gridTrials, parseDimension, randomTrials, SweepUsageError, varies, type Dimension } from '../../sweep/space.js';
import { runSweep, writeSweep, type MedianPruning } from '../../sweep/run-sweep.js';
import { inferMode } from '../../ir/schema/enums.js';
import type { CliIO } from '../cli-io.js';
import { collectSets } from '../overrides.js';
import { loadSpec } from '../spec-pipeline.js';

export interface SweepCommandOptions {
  set?: string[];
  random?: string;
  seed?: string;
  parallel?: string;
  out?: string;
  backend: string;
  monitor?: string;
  resume?: string;
  maxParams?: string;
  prune?: string;
  pruneWarmup?: string;
  pruneMinTrials?: string;
}

const SWEEP_LOCK = '.mlspec-sweep.lock';

function wholeNumber(flag: string, text: string | undefined, io: CliIO, min = 0): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) {
    io.stderr(`mlspec sweep: ${flag} takes a whole number${min > 0 ? ` of at least ${min}` : ''}, not '${text}'.\n`);
    return null;
  }
  return Number(text);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One sweep process per sweep folder; a lock left by a killed sweep is taken over. */
function lockSweep(dir: string, io: CliIO): (() => void) | null {
  const file = path.join(dir, SWEEP_LOCK);
  for (let tries = 0; tries < 2; tries++) {
    try {
      fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), started: new Date().toISOString() }), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let pid = 0;
      let host = '';
      try {
        ({ pid, host } = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid: number; host: string });
      } catch {
        // Unreadable: treat as stale.
      }
      if (pid > 0 && (host !== os.hostname() || alive(pid))) {
        io.stderr(`mlspec sweep: the sweep folder ${dir} is in use by process ${pid}${host !== os.hostname() ? ` on ${host}` : ''}; wait for it to end, or delete ${file} if it is gone.\n`);
        return null;
      }
      fs.rmSync(file, { force: true });
    }
  }
  io.stderr(`mlspec sweep: cannot lock ${dir}.\n`);
  return null;
}

async function runAndReport(dir: string, record: SweepRecord, parallel: number, runArgs: string[], io: CliIO): Promise<number> {
  const release = lockSweep(dir, io);
  if (!release) return 2;
  let outcome;
  try {
    io.stderr(`mlspec sweep: ${record.trials.length} trials of ${record.spec} (${record.mode}), ${parallel} at a time, in ${dir}\n`);
    let prune: MedianPruning | undefined;
    if (record.prune) {
      const monitor = record.monitor ?? 'val_loss';
      prune = { monitor, mode: inferMode(monitor), warmup: record.prune.warmup, minTrials: record.prune.min_trials };
    }
    outcome = await runSweep(dir, record, { parallel, write: io.stderr, runArgs, prune });
  } finally {
    release();
  }
  const comparison = loadComparison([dir]);
  io.stdout(leaderboardText(comparison));
  fs.writeFileSync(path.join(dir, 'compare.html'), compareHtml(comparison));
  if (outcome.interrupted) {
    io.stderr(`mlspec: Interrupted: ${outcome.done} of ${record.trials.length} trials done; continue with mlspec sweep --resume ${dir}\n`);
    return 130;
  }
  io.stderr(`mlspec sweep: ${outcome.done} of ${record.trials.length} trials done${outcome.failed ? `, ${outcome.failed} failed` : ''}; the comparison is ${path.join(dir, 'compare.html')}\n`);
  return outcome.failed > 0 ? 1 : 0;
}

export async function sweepCommand(spec: string | undefined, options: SweepCommandOptions, io: CliIO): Promise<number> {
  const parallel = wholeNumber('--parallel', options.parallel, io, 1);
  const random = wholeNumber('--random', options.random, io, 1);
  const seed = wholeNumber('--seed', options.seed, io);
  const maxParams = wholeNumber('--max-params', options.maxParams, io);
  if (parallel === null || random === null || seed === null || maxParams === null) return 2;
  const runArgs = maxParams !== undefined ? ['--max-params', String(maxParams)] : [];
  const warmup = wholeNumber('--prune-warmup', options.pruneWarmup, io, 1);
  const minTrials = wholeNumber('--prune-min-trials', options.pruneMinTrials, io, 1);
  if (warmup === null || minTrials === null) return 2;
  if (options.prune !== undefined && options.prune !== 'median') {
    io.stderr(`mlspec sweep: --prune takes 'median' (the median rule), not '${options.prune}'.\n`);
    return 2;
  }
  if (options.prune && options.monitor?.startsWith('test_')) {
    io.stderr('mlspec sweep: --prune watches the monitor after every epoch; a test_ metric is only known at the end. Choose loss, val_loss, val_accuracy, ...\n');
    return 2;
  }

  if (options.resume) {
    if (spec !== undefined || (options.set ?? []).length > 0 || random !== undefined || options.prune !== undefined) {
      io.stderr('mlspec sweep: --resume DIR takes the spec and settings from DIR/sweep.json; give no SPEC, --set, --random or --prune with it.\n');
      return 2;
    }
    const dir = path.resolve(io.cwd, options.resume);
    let record: SweepRecord;
    try {
      record = readSweep(dir);
    } catch (error) {
      io.stderr(`mlspec sweep: ${fs.existsSync(path.join(dir, SWEEP_FILE)) ? (error as Error).message : `${dir} is not a sweep folder (no ${SWEEP_FILE}).`}\n`);
      return 2;
    }
    if (options.monitor) record.monitor = options.monitor;
    return runAndReport(dir, record, parallel ?? record.parallel, runArgs, io);
  }

  if (spec === undefined) {
    io.stderr("mlspec sweep: missing argument 'spec' (or continue a sweep with --resume DIR).\n");
    return 2;
  }
  if (!(BACKEND_NAMES as readonly string[]).includes(options.backend)) {
    io.stderr(`mlspec sweep: --backend must be one of ${BACKEND_NAMES.join(', ')}, not '${options.backend}'.\n`);
    return 2;
  }
  const specFile = path.resolve(io.cwd, spec);
  let dims: Dimension[];
  let settingsList;
  try {
    dims = (options.set ?? []).map(parseDimension);
    const twice = dims.find((d, i) => dims.findIndex((e) => e.path === d.path) !== i);
    if (twice) throw new SweepUsageError(`--set ${twice.path} is given twice; give its values once, separated by commas.`);
    if (!dims.some(varies)) throw new SweepUsageError('nothing to sweep: give at least one --set with several values (PATH=V1,V2) or a range (with --random N).');
    settingsList = random !== undefined ? randomTrials(dims, random, seed ?? 0) : gridTrials(dims);
  } catch (error) {
    if (!(error instanceof SweepUsageError)) throw error;
    io.stderr(`mlspec sweep: ${error.message}\n`);
    return 2;
  }
  const variedPaths = dims.filter(varies).map((d) => d.path);
  const fixed = dims.filter((d) => !varies(d)).map((d) => `${d.path}=${(d as { values: string[] }).values[0]}`);
  const width = Math.max(3, String(settingsList.length).length);
  const trials: SweepTrialRecord[] = settingsList.map((settings, i) => {
    const id = `trial-${String(i + 1).padStart(width, '0')}`;
    const varied = Object.fromEntries(variedPaths.map((p) => [p, settings[p]!]));
    return { id, folder: id, settings: varied, sets: dims.map((d) => `${d.path}=${settings[d.path]}`), status: 'pending', exit_code: null, attempts: [] };
  });

  // Every trial's spec is checked before anything runs: a bad value is reported once, here.
  let name = path.basename(specFile).replace(/\.mlspec$/, '');
  for (const trial of trials) {
    let messages = '';
    const quiet: CliIO = { ...io, stderr: (t) => void (messages += t) };
    const loaded = loadSpec(specFile, quiet, { maxParams, sets: trial.sets, command: 'sweep' });
    if (typeof loaded === 'number') {
      io.stderr(`mlspec sweep: ${trial.id} (${trial.sets.map((s) => `--set ${s}`).join(' ')}) cannot run:\n${messages}`);
      return loaded;
    }
    name = loaded.plan.name;
  }

  const dir = path.resolve(io.cwd, options.out ?? path.join('runs', name, `sweep-${timestamp(new Date())}`));
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
    io.stderr(`mlspec sweep: the folder ${dir} already holds files; choose another with --out, or continue a sweep there with --resume ${dir}.\n`);
    return 2;
  }
  fs.mkdirSync(dir, { recursive: true });
  const record: SweepRecord = {
    sweep: 1,
    spec: specFile,
    name,
    created: new Date().toISOString(),
    mode: random !== undefined ? 'random' : 'grid',
    seed: random !== undefined ? (seed ?? 0) : null,
    backend: options.backend,
    parallel: parallel ?? os.availableParallelism(),
    fixed,
    varied: variedPaths,
    monitor: options.monitor ?? null,
    prune: options.prune ? { rule: 'median', warmup: warmup ?? 3, min_trials: minTrials ?? 2 } : null,
    trials,
  };
  writeSweep(dir, record);
  return runAndReport(dir, record, record.parallel, runArgs, io);
}

export function registerSweepCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('sweep')
    .description('train a spec with many settings (a grid or random search), several trials at a time')
    .argument('[spec]', 'the .mlspec file')
    .option('--set <path=values>', 'values to try, e.g. optimizer.lr=0.1,0.01 or optimizer.lr=loguniform(1e-4, 1e-1) (repeatable; one value: the same for every trial)', collectSets, [])
    .option('--random <n>', 'N trials drawn from the ranges (uniform(a, b), loguniform(a, b), choice(a, b, ...)) instead of the grid')
    .option('--seed <n>', 'seed of the random draws (default 0)')
    .option('--parallel <k>', 'trials at a time (default the number of cores)')
    .option('-o, --out <dir>', 'sweep folder (default runs/<name>/sweep-<timestamp>)')
    .option('-b, --backend <name>', 'backend of every trial: auto | wasm | cpu | tensorflow | webgpu | gpu', 'wasm')
    .option('--monitor <metric>', 'the metric trials are ranked by (default the early-stopping monitor, else val_loss or loss)')
    .option('--prune <rule>', "stop bad trials early: 'median' (worse than the median of finished trials at the same epoch)")
    .option('--prune-warmup <n>', 'epochs before a trial may be pruned (default 3)')
    .option('--prune-min-trials <n>', 'finished trials needed before pruning (default 2)')
    .option('--resume <dir>', 'continue the sweep in DIR: finished trials are kept, running ones resume from their checkpoints')
    .option('--max-params <n>', 'largest model allowed, in parameters')
    .addHelpText(
      'after',
      "\nExamples:\n  $ mlspec sweep examples/iris.mlspec --set optimizer.lr=0.1,0.01,0.001 --set train.batch=16,32\n  $ mlspec sweep examples/iris.mlspec --random 20 --seed 1 --set 'optimizer.lr=loguniform(1e-4, 1e-1)' --parallel 4\n  $ mlspec sweep --resume runs/iris/sweep-2026-01-01T12-00-00",
    )
    .action(async (spec: string | undefined, options: SweepCommandOptions) => setExit(await sweepCommand(spec, options, io)));
}

