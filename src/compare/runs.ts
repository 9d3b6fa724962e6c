/**
 * The runs that `mlspec compare` (and the end of `mlspec sweep`) puts side by side: each run
 * folder's summary.json, its per-epoch metrics (metrics.jsonl) and its --set overrides (the
 * `# with --set ...` line that ends its spec.mlspec, or a sweep trial's settings; an edited compiled
 * program's edited parts, program-settings.ts), and the score
 * every run is ranked by (the monitor).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inferMode } from '../ir/schema/enums.js';
import { settingsFromProgram, type EditedRunSummary } from './program-settings.js';

export const SWEEP_FILE = 'sweep.json';

export interface RunSummaryLike extends EditedRunSummary {
  spec?: string;
  epochs_run?: number;
  stopped_early?: boolean;
  restored_best_epoch?: number | null;
  wall_time_s?: number;
  train?: Record<string, number>;
  validation?: Record<string, number>;
  test?: Record<string, number>;
}

export interface ComparedRun {
  /** A short name: the trial id or the folder's name. */
  label: string;
  dir: string;
  /** done, failed, interrupted, running, pending (sweeps); done or unfinished (folders). */
  status: string;
  summary: RunSummaryLike | null;
  /** The `type: "epoch"` records of metrics.jsonl. */
  epochs: Record<string, number>[];
  /** PATH -> VALUE of its overrides. */
  settings: Record<string, string>;
}

/** A problem with a folder given to compare (a usage error). */
export class CompareUsageError extends Error {}

/** The overrides named by the `# with --set ...` line of a run's spec.mlspec. */
export function settingsFromSpec(specText: string): Record<string, string> {
  const settings: Record<string, string> = {};
  const line = specText.split('\n').reverse().find((l) => l.startsWith('# with --set '));
  if (!line) return settings;
  for (const part of line.slice('# with '.length).split(/(?:^| )--set /)) {
    const eq = part.indexOf('=');
    if (eq > 0) settings[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return settings;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

export function readEpochs(dir: string): Record<string, number>[] {
  const file = path.join(dir, 'metrics.jsonl');
  if (!fs.existsSync(file)) return [];
  const epochs: Record<string, number>[] = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"epoch"')) continue;
    try {
      const record = JSON.parse(line) as Record<string, unknown>;
      if (record.type !== 'epoch') continue;
      const numbers: Record<string, number> = {};
      for (const [k, v] of Object.entries(record)) if (typeof v === 'number') numbers[k] = v;
      epochs.push(numbers);
    } catch {
      // A line cut short by a killed run: skip it.
    }
  }
  return epochs;
}

/** One run folder (it must hold summary.json or metrics.jsonl). */
export function loadRun(dir: string, label?: string, settings?: Record<string, string>, status?: string): ComparedRun {
  const summaryFile = path.join(dir, 'summary.json');
  const hasSummary = fs.existsSync(summaryFile);
  if (!hasSummary && !fs.existsSync(path.join(dir, 'metrics.jsonl')) && status === undefined) {
    throw new CompareUsageError(`${dir} is not a run folder (it holds neither summary.json nor metrics.jsonl) nor a sweep folder (no ${SWEEP_FILE}).`);
  }
  let summary: RunSummaryLike | null = null;
  if (hasSummary) {
    try {
      summary = readJson(summaryFile) as RunSummaryLike;
    } catch (error) {
      throw new CompareUsageError(`${summaryFile} is not readable JSON (${error instanceof Error ? error.message : String(error)}).`);
    }
  }
  const specFile = path.join(dir, 'spec.mlspec');
  return {
    label: label ?? path.basename(path.resolve(dir)),
    dir,
    status: status ?? (summary ? 'done' : 'unfinished'),
    summary,
    epochs: readEpochs(dir),
    // An edited compiled program's run: its edited parts as the program describes them, not the stale spec.
    settings: settings ?? { ...(fs.existsSync(specFile) ? settingsFromSpec(fs.readFileSync(specFile, 'utf8')) : {}), ...settingsFromProgram(summary) },
  };
}

export interface SweepTrialRecord {
  id: string;
  folder: string;
  settings: Record<string, string>;
  sets: string[];
  status: string;
  exit_code: number | null;
  /** Set when the median rule stopped the trial: the epoch, its best monitor value, the median it was worse than. */
  pruned?: { epoch: number; best: number; median: number; monitor: string };
  attempts: { started: string; ended: string | null; mode: 'start' | 'resume' | 'restart'; exit_code: number | null; pid: number | null }[];
}

export interface SweepRecord {
  sweep: 1;
  spec: string;
  name: string;
  created: string;
  mode: 'grid' | 'random';
  seed: number | null;
  backend: string;
  parallel: number;
  fixed: string[];
  varied: string[];
  monitor: string | null;
  /** Early stopping of bad trials: the median rule's settings, or null. */
  prune?: { rule: 'median'; warmup: number; min_trials: number } | null;
  trials: SweepTrialRecord[];
}

export function readSweep(dir: string): SweepRecord {
  const file = path.join(dir, SWEEP_FILE);
  try {
    const record = readJson(file) as SweepRecord;
    if (record.sweep !== 1 || !Array.isArray(record.trials)) throw new Error('not an mlspec sweep record');
    return record;
  } catch (error) {
    throw new CompareUsageError(`${file} is not a readable sweep record (${error instanceof Error ? error.message : String(error)}).`);
  }
}

export interface Comparison {
  runs: ComparedRun[];
  /** The settings that differ between runs (or that a sweep varies). */
  varied: string[];
  monitor: string;
  mode: 'min' | 'max';
  sweep: SweepRecord | null;
  title: string;
}

/** The value of metric `name` in a summary: `val_x` from validation, `test_x` from test, else train. */
export function summaryMetric(summary: RunSummaryLike | null, name: string): number | undefined {
  if (!summary) return undefined;
  const [split, metric] = name.startsWith('val_') ? ['validation', name.slice(4)] : name.startsWith('test_') ? ['test', name.slice(5)] : ['train', name];
  const value = (summary as Record<string, Record<string, number> | undefined>)[split]?.[metric];
  return typeof value === 'number' ? value : undefined;
}

/** Every metric name the runs' summaries hold, the train ones first, then val_, then test_. */
export function summaryMetricNames(runs: readonly ComparedRun[]): string[] {
  const names: string[][] = [[], [], []];
  const prefixes = ['', 'val_', 'test_'];
  ['train', 'validation', 'test'].forEach((split, i) => {
    for (const run of runs) {
      const values = (run.summary as Record<string, Record<string, number> | undefined> | null)?.[split];
      for (const key of Object.keys(values ?? {})) if (!names[i]!.includes(prefixes[i] + key)) names[i]!.push(prefixes[i] + key);
    }
  });
  return names.flat();
}

/** The monitor of the spec's early-stopping rule, if its spec.mlspec has one. */
function stopMonitor(dir: string): string | null {
  try {
    const text = fs.readFileSync(path.join(dir, 'spec.mlspec'), 'utf8');
    const m = /\bstop\s*:\s*early\s*\(\s*(?:monitor\s*:\s*)?"?([A-Za-z_][A-Za-z0-9_]*)/.exec(text);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

/** The folders compared: one sweep folder, or run folders. */
export function loadComparison(dirs: readonly string[], monitor?: string): Comparison {
  let runs: ComparedRun[];
  let sweep: SweepRecord | null = null;
  let varied: string[];
  if (dirs.length === 1 && fs.existsSync(path.join(dirs[0]!, SWEEP_FILE))) {
    sweep = readSweep(dirs[0]!);
    runs = sweep.trials.map((t) => loadRun(path.join(dirs[0]!, t.folder), t.id, t.settings, t.status));
    varied = sweep.varied;
  } else {
    const seen = new Set<string>();
    runs = dirs.map((dir) => {
      if (fs.existsSync(path.join(dir, SWEEP_FILE))) throw new CompareUsageError(`${dir} is a sweep folder; compare it on its own (mlspec compare ${dir}).`);
      if (!fs.existsSync(dir)) throw new CompareUsageError(`${dir}: no such folder.`);
      let label = path.basename(path.resolve(dir));
      if (seen.has(label)) label = dir;
      seen.add(label);
      return loadRun(dir, label);
    });
    // A run without spec.mlspec (its settings unknown) makes no setting "varied".
    const known = runs.filter((r) => fs.existsSync(path.join(r.dir, 'spec.mlspec')));
    const paths = [...new Set(known.flatMap((r) => Object.keys(r.settings)))];
    varied = paths.filter((p) => new Set(known.map((r) => r.settings[p] ?? '')).size > 1);
  }
  const names = summaryMetricNames(runs);
  const chosen =
    monitor ??
    sweep?.monitor ??
    runs.map((r) => stopMonitor(r.dir)).find((m) => m !== null && m !== undefined) ??
    (names.includes('val_loss') ? 'val_loss' : 'loss');
  const title = sweep ? `sweep of ${sweep.name}` : [...new Set(runs.map((r) => r.summary?.spec ?? r.label))].join(', ');
  return { runs, varied, monitor: chosen, mode: inferMode(chosen.replace(/^test_/, '')), sweep, title };
}

/** The runs best first by the monitor; runs without a score last, in their order. */
export function ranked(c: Comparison, by = c.monitor): ComparedRun[] {
  const mode = by === c.monitor ? c.mode : inferMode(by.replace(/^test_/, ''));
  const scored = c.runs.map((run, i) => ({ run, i, v: summaryMetric(run.summary, by) }));
  return scored
    .sort((a, b) => {
      const av = a.v !== undefined && Number.isFinite(a.v);
      const bv = b.v !== undefined && Number.isFinite(b.v);
      if (av !== bv) return av ? -1 : 1;
      if (!av || a.v === b.v) return a.i - b.i;
      return mode === 'min' ? a.v! - b.v! : b.v! - a.v!;
    })
    .map((s) => s.run);
}

export function formatNumber(v: number | undefined): string {
  if (v === undefined) return '—';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(3) : v.toFixed(4);
}

/** The leaderboard as a text table (stdout): rank, run, status, the monitor, settings, other metrics. */
export function leaderboardText(c: Comparison): string {
  const metrics = [c.monitor, ...summaryMetricNames(c.runs).filter((m) => m !== c.monitor)];
  const header = ['rank', 'run', 'status', ...c.varied, ...metrics];
  const rows = ranked(c).map((run, i) => [
    String(i + 1),
    run.label,
    run.status,
    ...c.varied.map((p) => run.settings[p] ?? '—'),
    ...metrics.map((m) => formatNumber(summaryMetric(run.summary, m))),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
