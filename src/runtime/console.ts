/**
 * What a run shows on the console (stderr): a progress bar per epoch on a terminal (steps, ETA,
 * running loss), one line per epoch with its metrics. When stderr is not a terminal only the
 * plain lines are printed. The final table (formatResultsTable) is a result, on stdout.
 */
import type { EpochMetrics, TrainingObserver } from './train.js';

export interface ConsoleOptions {
  quiet: boolean;
  /** Draw the progress bar (stderr is a terminal). */
  interactive: boolean;
  write: (text: string) => void;
}

export function formatMetricValue(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(3);
  return value.toFixed(4);
}

export function formatEpochLine(epoch: number, epochs: number, metrics: EpochMetrics, seconds: number): string {
  const width = String(epochs).length;
  const parts = Object.entries(metrics).map(([k, v]) => `${k} ${formatMetricValue(v)}`);
  return `epoch ${String(epoch + 1).padStart(width)}/${epochs}  ${parts.join('  ')}  (${seconds.toFixed(1)}s)`;
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--';
  if (seconds < 60) return `${Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m}m${String(Math.round(seconds % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** A TrainingObserver that prints progress; interrupt() ends a drawn progress bar's line. */
export function consoleObserver(epochs: number, options: ConsoleOptions): TrainingObserver & { interrupt(): void } {
  let epochStart = 0;
  let lastDraw = 0;
  let running = 0;
  let seen = 0;
  let barDrawn = false;
  const clearLine = () => {
    if (options.interactive) options.write('\r\x1b[2K');
    barDrawn = false;
  };
  return {
    interrupt() {
      if (barDrawn) options.write('\n');
      barDrawn = false;
    },
    epochStart() {
      epochStart = Date.now();
      running = 0;
      seen = 0;
    },
    step({ epoch, batch, steps, loss }) {
      running += loss;
      seen += 1;
      if (options.quiet || !options.interactive) return;
      const now = Date.now();
      if (now - lastDraw < 100 && batch + 1 < steps) return;
      lastDraw = now;
      const done = batch + 1;
      const width = 24;
      const filled = Math.round((done / steps) * width);
      const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(width - filled);
      const elapsed = (now - epochStart) / 1000;
      const eta = (elapsed / done) * (steps - done);
      clearLine();
      options.write(
        `epoch ${epoch + 1}/${epochs} [${bar}] ${done}/${steps}  ETA ${formatDuration(eta)}  loss ${formatMetricValue(running / seen)}`,
      );
      barDrawn = true;
    },
    epochEnd(epoch, metrics, seconds) {
      if (options.quiet) return;
      clearLine();
      options.write(`${formatEpochLine(epoch, epochs, metrics, seconds)}\n`);
    },
  };
}

/** The final table: one row per split, one column per metric. */
export function formatResultsTable(results: Record<string, Record<string, number>>): string {
  const splits = Object.keys(results);
  const metrics = [...new Set(splits.flatMap((s) => Object.keys(results[s]!)))];
  const header = ['split', ...metrics];
  const rows = splits.map((s) => [s, ...metrics.map((m) => (m in results[s]! ? formatMetricValue(results[s]![m]!) : '-'))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
