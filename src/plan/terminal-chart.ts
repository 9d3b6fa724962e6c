/**
 * A line chart in a terminal: a grid of `width` x `height` character cells with a labelled y axis
 * on the left and the x range below. Each column shows the lowest to highest value of the points
 * that fall in it (a bullet per cell), and a vertical bar joins it to the previous column, so a
 * sudden drop reads as a step.
 */
import { maxOf, minOf } from '../runtime/array-extremes.js';

export interface TerminalChartOptions {
  width?: number;
  height?: number;
  /** Formats the y axis labels; default 3 significant digits. */
  formatY?: (value: number) => string;
  /** Formats the x range labels; default as is. */
  formatX?: (value: number) => string;
}

export const CHART_POINT = '•';
export const CHART_JOIN = '│';

function shortNumber(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs < 1e-3 || abs >= 1e5) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(3)));
}

/** The row (0 = bottom) of each column's lowest and highest value, or null for an empty column. */
export function chartColumns(
  points: readonly (readonly [number, number])[],
  width: number,
  height: number,
): { columns: ({ low: number; high: number } | null)[]; yMin: number; yMax: number } {
  const finite = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const columns: ({ low: number; high: number } | null)[] = new Array(width).fill(null);
  if (finite.length === 0) return { columns, yMin: 0, yMax: 0 };
  const xs = finite.map(([x]) => x);
  const ys = finite.map(([, y]) => y);
  const xMin = minOf(xs);
  const xMax = maxOf(xs);
  const yMin = minOf(ys);
  const yMax = maxOf(ys);
  const column = (x: number) => (xMax === xMin ? 0 : Math.round(((x - xMin) / (xMax - xMin)) * (width - 1)));
  // A flat series sits in the middle row.
  const row = (y: number) => (yMax === yMin ? Math.floor((height - 1) / 2) : Math.round(((y - yMin) / (yMax - yMin)) * (height - 1)));
  for (const [x, y] of finite) {
    const c = column(x);
    const r = row(y);
    const cell = columns[c];
    columns[c] = cell ? { low: Math.min(cell.low, r), high: Math.max(cell.high, r) } : { low: r, high: r };
  }
  return { columns, yMin, yMax };
}

export function terminalChart(points: readonly (readonly [number, number])[], options: TerminalChartOptions = {}): string {
  const width = options.width ?? 60;
  const height = options.height ?? 12;
  const formatY = options.formatY ?? shortNumber;
  const formatX = options.formatX ?? ((x: number) => String(x));
  const { columns, yMin, yMax } = chartColumns(points, width, height);
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill(' '));
  let previous: { low: number; high: number } | null = null;
  columns.forEach((cell, c) => {
    if (cell === null) return;
    if (previous !== null) {
      // Join from the previous column's value to this column's range.
      const from = previous.high < cell.low ? previous.high + 1 : cell.high + 1;
      const to = previous.high < cell.low ? cell.low - 1 : previous.low - 1;
      for (let r = from; r <= to; r++) grid[r]![c] = CHART_JOIN;
    }
    for (let r = cell.low; r <= cell.high; r++) grid[r]![c] = CHART_POINT;
    previous = cell;
  });

  // Labels on the top, middle and bottom rows (only the middle one for a flat series).
  const labels = new Map<number, string>();
  if (yMax === yMin) labels.set(Math.floor((height - 1) / 2), formatY(yMin));
  else {
    labels.set(height - 1, formatY(yMax));
    labels.set(0, formatY(yMin));
    const mid = Math.floor((height - 1) / 2);
    if (mid !== 0 && mid !== height - 1) labels.set(mid, formatY(yMin + ((yMax - yMin) * mid) / (height - 1)));
  }
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const lines: string[] = [];
  for (let r = height - 1; r >= 0; r--) {
    const label = labels.get(r);
    lines.push(`${(label ?? '').padStart(labelWidth)} ${label === undefined ? '│' : '┤'}${grid[r]!.join('').trimEnd()}`);
  }
  lines.push(`${' '.repeat(labelWidth)} └${'─'.repeat(width)}`);
  const finiteXs = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x]) => x);
  if (finiteXs.length > 0) {
    const left = formatX(minOf(finiteXs));
    const right = formatX(maxOf(finiteXs));
    const gap = Math.max(1, width - left.length - right.length);
    lines.push(`${' '.repeat(labelWidth + 2)}${left}${' '.repeat(gap)}${right}`);
  }
  return lines.join('\n');
}
