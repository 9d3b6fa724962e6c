/**
 * Runs a sweep's trials: each trial is a normal `mlspec run` in a child process of bin/mlspec.js
 * (its --set flags, `--out SWEEP/trial-NNN`), at most `parallel` at a time. sweep.json is rewritten
 * (atomically) whenever a trial starts or ends, so a sweep killed at any moment can be resumed:
 * finished trials (done or failed) are kept, a trial that was running continues from its
 * checkpoint with `mlspec run --resume`, or starts again (`--force`) when it had written none.
 * Each trial's stdout and stderr go to SWEEP/logs/trial-NNN.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { readEpochs, SWEEP_FILE, type SweepRecord, type SweepTrialRecord } from '../compare/runs.js';

const RUN_LOCK_FILE = '.mlspec.lock';
const CHECKPOINT_FILE = 'checkpoint.bin';

/** bin/mlspec.js of this installation: the package root is above dist/src/sweep/ (or src/sweep/ in tests). */
export function mlspecBin(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'mlspec.js');
    if (fs.existsSync(bin) && fs.existsSync(path.join(dir, 'package.json'))) return bin;
  }
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'mlspec.js');
}

export function writeSweep(dir: string, record: SweepRecord): void {
  writeFileAtomic(path.join(dir, SWEEP_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/** How a trial that is not finished is (re)started, from what its folder holds. */
export function trialStart(dir: string, trial: SweepTrialRecord): 'start' | 'resume' | 'restart' | 'finished' {
  const folder = path.join(dir, trial.folder);
  if (!fs.existsSync(folder)) return 'start';
  // A run that ended normally removed its lock after writing summary.json (the sweep died before recording it).
  if (fs.existsSync(path.join(folder, 'summary.json')) && !fs.existsSync(path.join(folder, RUN_LOCK_FILE))) return 'finished';
  if (fs.existsSync(path.join(folder, CHECKPOINT_FILE))) return 'resume';
  return fs.readdirSync(folder).length === 0 ? 'start' : 'restart';
}

/** The live process holding a run folder's lock, if any. */
function lockHolder(folder: string): number | null {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(folder, RUN_LOCK_FILE), 'utf8')) as { pid?: number; host?: string };
    if (typeof info.pid !== 'number' || info.pid === process.pid || info.host !== os.hostname()) return null;
    process.kill(info.pid, 0);
    return info.pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? -1 : null;
  }
}

/**
 * The median rule (early stopping of bad trials): after `warmup` epochs, a running trial whose
 * best monitor value so far is worse than the median of the finished trials' values at the same
 * epoch (at least `minTrials` of them) is stopped (SIGINT: it saves a checkpoint) and recorded as
 * `pruned`; pruned trials count as finished.
 */
export interface MedianPruning {
  monitor: string;
  mode: 'min' | 'max';
  warmup: number;
  minTrials: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Whether the trial with these epochs should be pruned against the finished trials' epochs. */
export function medianRule(epochs: readonly Record<string, number>[], finished: readonly (readonly Record<string, number>[])[], rule: MedianPruning): { epoch: number; best: number; median: number } | null {
  const last = epochs.at(-1);
  if (!last || last.epoch === undefined || last.epoch < rule.warmup) return null;
  const epoch = last.epoch;
  const own = epochs.map((e) => e[rule.monitor]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  const others = finished
    .map((f) => f.find((e) => e.epoch === epoch)?.[rule.monitor])
    .filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (others.length < rule.minTrials) return null;
  if (own.length === 0) return null;
  const m = median(others);
  const best = rule.mode === 'min' ? Math.min(...own) : Math.max(...own);
  const worse = rule.mode === 'min' ? best > m : best < m;
  return worse ? { epoch, best, median: m } : null;
}

export interface SweepRunOptions {
  /** Early stopping of bad trials (off when absent). */
  prune?: MedianPruning;
  parallel: number;
  write: (text: string) => void;
  /** Extra arguments for every trial's `mlspec run` (e.g. --max-params). */
  runArgs?: string[];
}

export interface SweepOutcome {
  done: number;
  failed: number;
  interrupted: boolean;
}

const FINISHED = new Set(['done', 'failed', 'pruned']);

/** Runs every trial not yet finished; resolves when all have ended or the sweep was interrupted. */
export async function runSweep(dir: string, record: SweepRecord, options: SweepRunOptions): Promise<SweepOutcome> {
  const bin = mlspecBin();
  const logs = path.join(dir, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  const queue = record.trials.filter((t) => !FINISHED.has(t.status));
  const running = new Map<SweepTrialRecord, ChildProcess>();
  let interrupted = false;
  const total = record.trials.length;
  const now = () => new Date().toISOString();

  // Trials found finished in their folders (the sweep died between a trial's end and its record).
  for (const trial of [...queue]) {
    if (trialStart(dir, trial) === 'finished') {
      trial.status = 'done';
      trial.exit_code = 0;
      const last = trial.attempts.at(-1);
      // It ended about when it wrote its summary.
      if (last && last.ended === null) last.ended = new Date(fs.statSync(path.join(dir, trial.folder, 'summary.json')).mtimeMs).toISOString();
      queue.splice(queue.indexOf(trial), 1);
    } else if (trial.status === 'running') {
      trial.status = 'interrupted';
    }
  }
  writeSweep(dir, record);

  return await new Promise<SweepOutcome>((resolve) => {
    // The trials share the sweep's process group, so Ctrl-C on a terminal reaches them too; a
    // second SIGINT would stop a run without its checkpoint, so it is forwarded only when the
    // signal cannot have come from a terminal (SIGTERM, or no terminal attached).
    const onSignal = (signal: NodeJS.Signals) => {
      if (interrupted) return;
      interrupted = true;
      options.write(`mlspec sweep: interrupted; stopping ${running.size} running trial${running.size === 1 ? '' : 's'} at their next step (they save a checkpoint).\n`);
      const fromTerminal = signal === 'SIGINT' && Boolean(process.stderr.isTTY || process.stdin.isTTY);
      if (!fromTerminal) for (const child of running.values()) child.kill('SIGINT');
      if (running.size === 0) finish();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);

    const pruning = new Set<SweepTrialRecord>();
    const finishedEpochs = new Map<SweepTrialRecord, Record<string, number>[]>();
    const watch = options.prune
      ? setInterval(() => {
          const rule = options.prune!;
          const finished = record.trials
            .filter((t) => t.status === 'done')
            .map((t) => {
              if (!finishedEpochs.has(t)) finishedEpochs.set(t, readEpochs(path.join(dir, t.folder)));
              return finishedEpochs.get(t)!;
            });
          for (const [trial, child] of running) {
            if (pruning.has(trial)) continue;
            const verdict = medianRule(readEpochs(path.join(dir, trial.folder)), finished, rule);
            if (!verdict) continue;
            pruning.add(trial);
            trial.pruned = { ...verdict, monitor: rule.monitor };
            options.write(`mlspec sweep: pruning ${trial.id} at epoch ${verdict.epoch}: its best ${rule.monitor} ${verdict.best} is worse than the median ${verdict.median} of ${finished.length} finished trials\n`);
            child.kill('SIGINT');
          }
        }, 250)
      : null;

    let ended = false;
    const finish = () => {
      if (ended) return;
      ended = true;
      if (watch) clearInterval(watch);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      writeSweep(dir, record);
      resolve({
        done: record.trials.filter((t) => t.status === 'done').length,
        failed: record.trials.filter((t) => t.status === 'failed').length,
        interrupted,
      });
    };

    let waiting = 0;
    const launch = (trial: SweepTrialRecord, waitedMs = 0) => {
      const folder = path.join(dir, trial.folder);
      // A process of the killed sweep may still hold the trial's folder (only the sweep itself was
      // killed, or it is not yet reaped): wait for it to end, then look at the folder again.
      const holder = lockHolder(folder);
      if (holder !== null) {
        if (waitedMs === 0) {
          waiting++;
          options.write(`mlspec sweep: ${trial.id} is still held by process ${holder} (from before the interruption); waiting for it to end\n`);
        }
        setTimeout(() => {
          if (interrupted) {
            waiting--;
            next();
          } else launch(trial, waitedMs + 200);
        }, 200);
        return;
      }
      if (waitedMs > 0) waiting--;
      if (trialStart(dir, trial) === 'finished') {
        trial.status = 'done';
        trial.exit_code = 0;
        const last = trial.attempts.at(-1);
        if (last && last.ended === null) last.ended = new Date(fs.statSync(path.join(folder, 'summary.json')).mtimeMs).toISOString();
        writeSweep(dir, record);
        next();
        return;
      }
      const mode = trialStart(dir, trial) as 'start' | 'resume' | 'restart';
      const args = [bin, 'run', record.spec, ...trial.sets.flatMap((s) => ['--set', s]), '--backend', record.backend, ...(options.runArgs ?? [])];
      if (mode === 'resume') args.push('--resume', folder);
      else args.push('--out', folder, ...(mode === 'restart' ? ['--force'] : []));
      const log = fs.openSync(path.join(logs, `${trial.id}.log`), 'a');
      fs.writeSync(log, `\n# ${now()} mlspec ${args.slice(1).join(' ')}\n`);
      const child = spawn(process.execPath, args, { stdio: ['ignore', log, log], env: { ...process.env, OMP_NUM_THREADS: '1', NO_COLOR: '1' } });
      fs.closeSync(log);
      const attempt = { started: now(), ended: null as string | null, mode, exit_code: null as number | null, pid: child.pid ?? null };
      trial.attempts.push(attempt);
      trial.status = 'running';
      running.set(trial, child);
      writeSweep(dir, record);
      options.write(`mlspec sweep: ${mode === 'resume' ? 'resuming' : 'starting'} ${trial.id} (${trial.sets.join(' ') || 'no overrides'})\n`);
      child.on('exit', (code, signal) => {
        running.delete(trial);
        const exitCode = code ?? (signal === 'SIGINT' ? 130 : 128);
        attempt.ended = now();
        attempt.exit_code = exitCode;
        trial.exit_code = exitCode;
        trial.status = exitCode === 0 ? 'done' : pruning.has(trial) && exitCode === 130 ? 'pruned' : exitCode === 130 || interrupted ? 'interrupted' : 'failed';
        const finished = record.trials.filter((t) => FINISHED.has(t.status)).length;
        const why = exitCode === 0 ? '' : trial.status === 'pruned' ? ` at epoch ${trial.pruned!.epoch} (it saved a checkpoint)` : ` (exit ${exitCode}; see logs/${trial.id}.log)`;
        options.write(`mlspec sweep: ${trial.id} ${trial.status}${why} [${finished}/${total}]\n`);
        writeSweep(dir, record);
        next();
      });
    };

    const next = () => {
      while (!interrupted && running.size + waiting < options.parallel && queue.length > 0) launch(queue.shift()!);
      if (running.size === 0 && waiting === 0 && (interrupted || queue.length === 0)) finish();
    };
    next();
  });
}
