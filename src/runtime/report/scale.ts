/**
 * Axis scales for the report's plots: "nice" tick positions (1, 2 or 5 times a power of ten)
 * on a linear axis, powers of ten on a logarithmic one, and short tick labels.
 */
import { maxOf, minOf } from '../array-extremes.js';

export interface ReportAxis {
  /** The data interval the axis shows (the plot edges). */
  min: number;
  max: number;
  log: boolean;
  ticks: number[];
  /** Distance between linear ticks (for label precision); 0 on a log axis. */
  step: number;
}

/** The nice step (1, 2 or 5 times a power of ten) closest above span / target. */
export function reportNiceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

/** The smallest value a log axis shows: below it (5e-324 halves to 0) log10 is -Infinity. */
const REPORT_LOG_FLOOR = 1e-300;

/**
 * Widens an empty interval [v, v] so that it can be drawn. An interval narrower than a billionth
 * of its values (0.01 and 0.010000000000000002, one float apart) counts as empty: its nice step
 * would be so small that the axis would need about 10^16 ticks.
 */
function reportWidenInterval(min: number, max: number, log: boolean): [number, number] {
  if (log) {
    const [lo, hi] = [Math.max(min, REPORT_LOG_FLOOR), Math.max(max, REPORT_LOG_FLOOR)];
    return hi > lo * (1 + 1e-9) ? [lo, hi] : [lo / 2, hi * 2];
  }
  if (max - min > Math.max(Math.abs(min), Math.abs(max)) * 1e-9) return [min, max];
  const pad = min === 0 && max === 0 ? 1 : Math.max(Math.abs(min), Math.abs(max)) * 0.1;
  return [min - pad, max + pad];
}

export interface ReportLinearAxisOptions {
  /** About this many ticks (default 5). */
  target?: number;
  /** Steps of at least 1 (epochs and steps). */
  integer?: boolean;
  /** Keep the axis at exactly [min, max] with the ticks inside it (and one at min), instead of widening it to whole steps. */
  tight?: boolean;
}

/** A linear axis over [min, max] with ticks at multiples of a nice step. */
export function reportLinearAxis(min: number, max: number, options: ReportLinearAxisOptions = {}): ReportAxis {
  const [lo, hi] = reportWidenInterval(min, max, false);
  let step = reportNiceStep(hi - lo, options.target ?? 5);
  if (options.integer) step = Math.max(1, step);
  const tight = options.tight === true && max > min;
  const first = tight ? Math.ceil(lo / step - 1e-9) : Math.floor(lo / step + 1e-9);
  const last = tight ? Math.floor(hi / step + 1e-9) : Math.ceil(hi / step - 1e-9);
  const ticks: number[] = [];
  for (let i = first; i <= last; i++) ticks.push(reportRoundToStep(i * step, step));
  if (!tight) return { min: first * step, max: last * step, log: false, ticks, step };
  // A tight axis also labels its start (epoch 1, step 1) when that is at least half a step from the first tick.
  if (ticks.length === 0 || ticks[0]! - lo >= step / 2) ticks.unshift(lo);
  return { min: lo, max: hi, log: false, ticks, step };
}

/**
 * A logarithmic axis over [min, max] (both > 0), widened to whole powers of ten. Ticks at each
 * power of ten; with fewer than three decades also at 2 and 5 times each power.
 */
export function reportLogAxis(min: number, max: number): ReportAxis {
  const [lo, hi] = reportWidenInterval(min, max, true);
  const first = Math.floor(Math.log10(lo) + 1e-9);
  const last = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = Math.max(1, last - first);
  const ticks: number[] = [];
  for (let k = first; k <= last; k++) {
    const power = reportPowerOfTen(k);
    ticks.push(power);
    if (decades < 3 && k < last) ticks.push(2 * power, 5 * power);
  }
  return { min: reportPowerOfTen(first), max: reportPowerOfTen(first + decades), log: true, ticks: ticks.map((t) => Number(t.toPrecision(12))), step: 0 };
}

/** 10^k without the float noise of 10 ** -3 = 0.0010000000000000002. */
function reportPowerOfTen(k: number): number {
  return Number(`1e${k}`);
}

function reportRoundToStep(value: number, step: number): number {
  return Number((Math.round(value / step) * step).toPrecision(12));
}

/** Whether a positive series spans enough decades that a log axis shows it better (ratio >= 100). */
export function reportPrefersLog(values: readonly number[]): boolean {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length < 2 || finite.some((v) => v <= 0)) return false;
  return maxOf(finite) / minOf(finite) >= 100;
}

/** A tick label: as few digits as the step needs; exponent form for very small or large values. */
export function reportTickLabel(value: number, axis: Pick<ReportAxis, 'log' | 'step'>): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e5) {
    const [mantissa, exponent] = value.toExponential(3).split('e');
    return `${mantissa!.replace(/\.?0+$/, '')}e${Number(exponent)}`;
  }
  if (axis.log || axis.step === 0) return String(Number(value.toPrecision(6)));
  const decimals = Math.max(0, -Math.floor(Math.log10(axis.step) + 1e-9));
  return value.toFixed(decimals);
}

/** Maps a value to a pixel position between `from` (at axis.min) and `to` (at axis.max). */
export function reportAxisPosition(axis: ReportAxis, value: number, from: number, to: number): number {
  const fraction = axis.log
    ? (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
    : (value - axis.min) / (axis.max - axis.min);
  return from + fraction * (to - from);
}
