/**
 * Line plots as inline SVG, written as text (no DOM, no library): axes with ticks and tick
 * labels, axis titles, a legend, and one path per series. Non-finite values break a line.
 * Used by the run report (report.html) and by `mlspec plan --svg`.
 */
import { reportEscapeHtml } from './escape.js';
import { reportAxisPosition, reportLinearAxis, reportLogAxis, reportTickLabel, type ReportAxis } from './scale.js';
import { maxOf, minOf } from '../array-extremes.js';

export type ReportPoint = readonly [x: number, y: number];

export interface ReportSeries {
  name: string;
  points: readonly ReportPoint[];
  /** A CSS colour; default from the palette by position. */
  color?: string;
  dashed?: boolean;
  /** Dots only, no line (scatter plots). */
  scatter?: boolean;
}

/** A vertical line across the plot area at data x, with a label at its top (the best epoch). */
export interface ReportVerticalMarker {
  x: number;
  label: string;
}

export interface ReportPlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly ReportSeries[];
  /** A logarithmic y axis (only used when every finite y is > 0). */
  logY?: boolean;
  /** Whole-number x ticks (epochs, steps). */
  integerX?: boolean;
  width?: number;
  height?: number;
  /** Add the xmlns attribute so the SVG can be saved as a file of its own. */
  standalone?: boolean;
  /** Extra class names for the <svg> element. */
  className?: string;
  /** width="100%" (the viewBox keeps the aspect ratio) instead of a width in pixels. */
  responsive?: boolean;
  /** Fixed axis intervals (ROC and precision-recall: [0, 1]) instead of ones fitted to the data. */
  xRange?: readonly [number, number];
  yRange?: readonly [number, number];
  /** A vertical marker line, e.g. at the best epoch; left out when x is outside the x axis. */
  marker?: ReportVerticalMarker;
}

/** Pixel margins around the plot area: room for the title and legend, tick labels and axis titles. */
export const REPORT_PLOT_MARGIN = { top: 40, right: 16, bottom: 46, left: 70 } as const;

const REPORT_PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'] as const;

/** Series with at most this many finite points also get a dot per point. */
const REPORT_MARKER_LIMIT = 40;

/** Scatter series draw at most this many dots. */
const REPORT_SCATTER_LIMIT = 5000;

function reportFinitePoints(series: readonly ReportSeries[]): ReportPoint[] {
  return series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
}

function reportCoordinate(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** The SVG path data of a series: one subpath per run of drawable points. */
export function reportSeriesPath(
  points: readonly ReportPoint[],
  x: ReportAxis,
  y: ReportAxis,
  box: { left: number; right: number; top: number; bottom: number },
): string {
  const parts: string[] = [];
  let pen = false;
  for (const [px, py] of points) {
    const drawable = Number.isFinite(px) && Number.isFinite(py) && (!y.log || py > 0);
    if (!drawable) {
      pen = false;
      continue;
    }
    const sx = reportCoordinate(reportAxisPosition(x, px, box.left, box.right));
    const sy = reportCoordinate(reportAxisPosition(y, py, box.bottom, box.top));
    parts.push(`${pen ? 'L' : 'M'}${sx},${sy}`);
    pen = true;
  }
  return parts.join(' ');
}

export function reportLinePlot(options: ReportPlotOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 300;
  const m = REPORT_PLOT_MARGIN;
  const box = { left: m.left, right: width - m.right, top: m.top, bottom: height - m.bottom };
  const points = reportFinitePoints(options.series);
  const logY = (options.logY ?? false) && points.length > 0 && points.every(([, y]) => y > 0);
  const esc = reportEscapeHtml;
  const classes = ['plot', ...(options.className ? [options.className] : [])].join(' ');
  const open =
    `<svg class="${esc(classes)}"${options.standalone ? ' xmlns="http://www.w3.org/2000/svg"' : ''} ${
      options.responsive ? 'width="100%"' : `width="${width}" height="${height}"`
    } preserveAspectRatio="xMidYMid meet" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(options.title)}" font-family="sans-serif" font-size="11">`;
  const title = `<text class="plot-title" x="${box.left}" y="16" font-size="13" font-weight="bold">${esc(options.title)}</text>`;
  if (points.length === 0) {
    const note = `<text class="no-data" x="${(box.left + box.right) / 2}" y="${(box.top + box.bottom) / 2}" text-anchor="middle" fill="#666">no data</text>`;
    return `${open}<title>${esc(options.title)}</title>${title}${note}</svg>`;
  }

  const xs = points.map(([px]) => px);
  const ys = points.map(([, py]) => py);
  // The x axis ends at the data (a run's last step); the y axis widens to whole ticks.
  const xAxis = options.xRange
    ? reportLinearAxis(options.xRange[0], options.xRange[1], { target: 5 })
    : reportLinearAxis(minOf(xs), maxOf(xs), { target: 6, integer: options.integerX ?? false, tight: true });
  const yAxis = options.yRange
    ? reportLinearAxis(options.yRange[0], options.yRange[1], { target: 5 })
    : logY
      ? reportLogAxis(minOf(ys), maxOf(ys))
      : reportLinearAxis(minOf(ys), maxOf(ys));
  const parts: string[] = [open, `<title>${esc(options.title)}</title>`, title];

  // Grid, ticks and tick labels.
  const xTicks = xAxis.ticks.map((t) => {
    const sx = reportCoordinate(reportAxisPosition(xAxis, t, box.left, box.right));
    return (
      `<line class="grid" x1="${sx}" y1="${box.top}" x2="${sx}" y2="${box.bottom}" stroke="#eee"/>` +
      `<line class="tick" x1="${sx}" y1="${box.bottom}" x2="${sx}" y2="${box.bottom + 5}" stroke="#333"/>` +
      `<text class="tick-label" x="${sx}" y="${box.bottom + 17}" text-anchor="middle">${esc(reportTickLabel(t, xAxis))}</text>`
    );
  });
  const yTicks = yAxis.ticks.map((t) => {
    const sy = reportCoordinate(reportAxisPosition(yAxis, t, box.bottom, box.top));
    return (
      `<line class="grid" x1="${box.left}" y1="${sy}" x2="${box.right}" y2="${sy}" stroke="#eee"/>` +
      `<line class="tick" x1="${box.left - 5}" y1="${sy}" x2="${box.left}" y2="${sy}" stroke="#333"/>` +
      `<text class="tick-label" x="${box.left - 8}" y="${sy}" dy="0.32em" text-anchor="end">${esc(reportTickLabel(t, yAxis))}</text>`
    );
  });
  parts.push(`<g class="axis x-axis">${xTicks.join('')}</g>`, `<g class="axis y-axis">${yTicks.join('')}</g>`);
  parts.push(
    `<path class="frame" d="M${box.left},${box.top} V${box.bottom} H${box.right}" fill="none" stroke="#333"/>`,
    `<text class="axis-label x-label" x="${(box.left + box.right) / 2}" y="${height - 8}" text-anchor="middle">${esc(options.xLabel)}</text>`,
    `<text class="axis-label y-label" transform="translate(14 ${(box.top + box.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(
      options.yLabel + (logY ? ' (log scale)' : ''),
    )}</text>`,
  );

  // Series, clipped to the plot area.
  parts.push(`<g class="series-group">`);
  options.series.forEach((s, i) => {
    const color = s.color ?? REPORT_PALETTE[i % REPORT_PALETTE.length]!;
    if (s.scatter) {
      const dots = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py) && (!logY || py > 0)).slice(0, REPORT_SCATTER_LIMIT);
      const circles = dots.map(([px, py]) => {
        const cx = reportCoordinate(reportAxisPosition(xAxis, px, box.left, box.right));
        const cy = reportCoordinate(reportAxisPosition(yAxis, py, box.bottom, box.top));
        return `<circle cx="${cx}" cy="${cy}" r="3"/>`;
      });
      parts.push(
        `<g class="scatter" data-series="${esc(s.name)}" fill="${esc(color)}" fill-opacity="0.55"><title>${esc(s.name)}</title>${circles.join('')}</g>`,
      );
      return;
    }
    const d = reportSeriesPath(s.points, xAxis, yAxis, box);
    if (d === '') return;
    parts.push(
      `<path class="series" data-series="${esc(s.name)}" d="${d}" fill="none" stroke="${esc(color)}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5 3"' : ''}><title>${esc(s.name)}</title></path>`,
    );
    const finite = s.points.filter(([px, py]) => Number.isFinite(px) && Number.isFinite(py) && (!logY || py > 0));
    if (finite.length <= REPORT_MARKER_LIMIT) {
      for (const [px, py] of finite) {
        const cx = reportCoordinate(reportAxisPosition(xAxis, px, box.left, box.right));
        const cy = reportCoordinate(reportAxisPosition(yAxis, py, box.bottom, box.top));
        parts.push(`<circle class="marker" cx="${cx}" cy="${cy}" r="2.5" fill="${esc(color)}"><title>${esc(`${s.name}: ${py} at ${px}`)}</title></circle>`);
      }
    }
  });
  parts.push(`</g>`);

  // The vertical marker (best epoch), over the series.
  const marker = options.marker;
  if (marker !== undefined && Number.isFinite(marker.x) && marker.x >= xAxis.min && marker.x <= xAxis.max) {
    const mx = reportCoordinate(reportAxisPosition(xAxis, marker.x, box.left, box.right));
    const anchor = reportAxisPosition(xAxis, marker.x, box.left, box.right) > (box.left + box.right) / 2 ? 'end' : 'start';
    const dx = anchor === 'end' ? -4 : 4;
    parts.push(
      `<g class="best-marker" data-x="${marker.x}"><line class="best-line" x1="${mx}" y1="${box.top}" x2="${mx}" y2="${box.bottom}" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="4 3"/>` +
        `<text class="best-label" x="${mx}" dx="${dx}" y="${box.top + 12}" text-anchor="${anchor}" fill="#1a7f1a">${esc(marker.label)}</text></g>`,
    );
  }

  // Legend, right-aligned in the top margin.
  const items = options.series.map((s, i) => ({ name: s.name, color: s.color ?? REPORT_PALETTE[i % REPORT_PALETTE.length]!, dashed: s.dashed }));
  let x = box.right;
  const legend: string[] = [];
  for (const item of [...items].reverse()) {
    const textWidth = item.name.length * 6.5;
    x -= textWidth + 26;
    legend.unshift(
      `<g class="legend-item" data-series="${esc(item.name)}"><line x1="${reportCoordinate(x)}" y1="30" x2="${reportCoordinate(x + 18)}" y2="30" stroke="${esc(item.color)}" stroke-width="2"${
        item.dashed ? ' stroke-dasharray="5 3"' : ''
      }/><text x="${reportCoordinate(x + 22)}" y="30" dy="0.32em">${esc(item.name)}</text></g>`,
    );
  }
  parts.push(`<g class="legend">${legend.join('')}</g>`, '</svg>');
  return parts.join('');
}
