/**
 * Reads a run's metrics.jsonl (see program.ts) back into the series the report plots: the loss
 * and learning rate of every step, and the metrics of every epoch. A resumed run's file holds
 * the whole history, so the report always shows the run from its first step.
 */
import * as fs from 'node:fs';
import { appendAll } from '../array-extremes.js';

export interface ReportStepRecord {
  epoch: number;
  step: number;
  loss: number;
  lr: number;
}

export interface ReportEpochRecord {
  epoch: number;
  /** loss, accuracy, val_loss, val_accuracy, lr, ... (time_s left out). */
  metrics: Record<string, number>;
}

export interface ReportMetricsLog {
  steps: ReportStepRecord[];
  epochs: ReportEpochRecord[];
}

/** JSON has no NaN or Infinity: JSON.stringify wrote them as null. */
function reportNumberOrNaN(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

export function reportParseMetricsLog(text: string): ReportMetricsLog {
  const log: ReportMetricsLog = { steps: [], epochs: [] };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue; // a line cut short by a crash; the rest of the log is still worth showing
    }
    if (record.type === 'step') {
      log.steps.push({
        epoch: reportNumberOrNaN(record.epoch),
        step: reportNumberOrNaN(record.step),
        loss: reportNumberOrNaN(record.loss),
        lr: reportNumberOrNaN(record.lr),
      });
    } else if (record.type === 'epoch') {
      const metrics: Record<string, number> = {};
      for (const [key, value] of Object.entries(record)) {
        if (key !== 'type' && key !== 'epoch' && key !== 'time_s') metrics[key] = reportNumberOrNaN(value);
      }
      log.epochs.push({ epoch: reportNumberOrNaN(record.epoch), metrics });
    }
  }
  return log;
}

export function reportReadMetricsLog(file: string): ReportMetricsLog {
  return fs.existsSync(file) ? reportParseMetricsLog(fs.readFileSync(file, 'utf8')) : { steps: [], epochs: [] };
}

/**
 * At most `limit` points (limit >= 4) that keep the shape of a long noisy series: the series is cut
 * into buckets and each bucket keeps its first, lowest and highest points, in x order; the very
 * last point is kept too.
 */
export function reportDecimate<T extends readonly [number, number]>(points: readonly T[], limit: number): T[] {
  if (points.length <= limit) return [...points];
  const buckets = Math.max(1, Math.floor((limit - 1) / 3));
  const size = points.length / buckets;
  const out: T[] = [];
  for (let b = 0; b < buckets; b++) {
    const bucket = points.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    if (bucket.length === 0) continue;
    let low = bucket[0]!;
    let high = bucket[0]!;
    for (const point of bucket) {
      if (point[1] < low[1]) low = point;
      if (point[1] > high[1]) high = point;
    }
    const keep = new Set([bucket[0]!, low, high]);
    if (b === buckets - 1) keep.add(bucket[bucket.length - 1]!);
    appendAll(out, [...keep].sort((a, c) => a[0] - c[0]));
  }
  return out;
}
