/**
 * compare.html: runs side by side on one self-contained page (inline CSS and SVG, no script; a
 * Content-Security-Policy forbids any request). Sections: the leaderboard (best first by the
 * monitor; clicking a column's name re-sorts it by that column with CSS alone: one radio button
 * and one pre-rendered table per column), the settings each run varied, one plot per metric with
 * every run's curve overlaid and a legend, and for sweeps one scatter plot of each varied setting
 * against the monitor.
 */
import { reportEscapeHtml as esc } from '../runtime/report/escape.js';
import { reportAxisPosition, reportLinearAxis, reportLogAxis, reportTickLabel, type ReportAxis } from '../runtime/report/scale.js';
import { reportLinePlot, REPORT_PLOT_MARGIN } from '../runtime/report/svg-plot.js';
import { formatNumber, ranked, summaryMetric, summaryMetricNames, type ComparedRun, type Comparison } from './runs.js';

const STYLE = `
body { font-family: sans-serif; margin: 0 auto; padding: 16px; max-width: 1400px; color: #222; }
h1 { font-size: 1.4em; overflow-wrap: anywhere; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.5em 0; }
th, td { border: 1px solid #ddd; padding: 3px 8px; text-align: right; white-space: nowrap; }
th { background: #f4f4f4; } td.name, th.name { text-align: left; }
.scroll { overflow-x: auto; max-width: 100%; }
.sort-key { display: none; }
.board { display: none; }
th label { cursor: pointer; text-decoration: underline dotted; }
th.sorted { background: #dde8f5; }
tr.best td { font-weight: bold; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; }
.plots svg { max-width: 100%; height: auto; border: 1px solid #eee; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 0.85em; margin: 0.4em 0; }
.swatch { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 4px; }
.status-failed, .status-pruned, .status-interrupted, .status-unfinished, .status-running, .status-pending { color: #b35900; }
`;

/** One colour per run, evenly spaced in hue. */
export function runColor(i: number, n: number): string {
  if (n <= 6) return ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'][i]!;
  return `hsl(${Math.round((i * 360) / n)}, 65%, 42%)`;
}

function leaderboards(c: Comparison, colorOf: Map<ComparedRun, string>): string {
  const metrics = [c.monitor, ...summaryMetricNames(c.runs).filter((m) => m !== c.monitor)];
  const radios = metrics.map((m, k) => `<input class="sort-key" type="radio" name="sort" id="sort-${k}"${k === 0 ? ' checked' : ''} aria-label="sort by ${esc(m)}">`);
  const rules = metrics.map((_, k) => `#sort-${k}:checked ~ .scroll .board-${k} { display: table; }`).join('\n');
  const tables = metrics.map((by, k) => {
    const header =
      `<tr><th>rank</th><th class="name">run</th><th class="name">status</th>` +
      c.varied.map((p) => `<th class="name">${esc(p)}</th>`).join('') +
      metrics.map((m, j) => `<th class="metric${j === k ? ' sorted' : ''}"><label for="sort-${j}">${esc(m)}</label>${j === 0 ? ' (monitor)' : ''}</th>`).join('') +
      `<th class="name">folder</th></tr>`;
    const rows = ranked(c, by).map((run, i) => {
      const cells = metrics.map((m) => {
        const v = summaryMetric(run.summary, m);
        return `<td data-metric="${esc(m)}"${v !== undefined ? ` data-value="${v}"` : ''}>${esc(formatNumber(v))}</td>`;
      });
      return (
        `<tr class="run-row${i === 0 && k === 0 && run.summary ? ' best' : ''}" data-run="${esc(run.label)}"><td>${i + 1}</td>` +
        `<td class="name"><span class="swatch" style="background:${colorOf.get(run)}"></span>${esc(run.label)}</td>` +
        `<td class="name status-${esc(run.status)}">${esc(run.status)}</td>` +
        c.varied.map((p) => `<td class="name setting">${esc(run.settings[p] ?? '—')}</td>`).join('') +
        cells.join('') +
        `<td class="name">${esc(run.dir)}</td></tr>`
      );
    });
    return `<table class="board board-${k}" data-sorted-by="${esc(by)}">${header}${rows.join('')}</table>`;
  });
  return `<style>${rules}</style>${radios.join('')}<div class="scroll">${tables.join('')}</div>`;
}

function settingsTable(c: Comparison): string {
  const paths = [...new Set(c.runs.flatMap((r) => Object.keys(r.settings)))];
  if (paths.length === 0) return '<p>The runs name no --set overrides.</p>';
  const header = `<tr><th class="name">setting</th>${c.runs.map((r) => `<th class="name">${esc(r.label)}</th>`).join('')}</tr>`;
  const rows = paths.map((p) => `<tr${c.varied.includes(p) ? ' class="varied"' : ''}><td class="name">${esc(p)}${c.varied.includes(p) ? ' (varied)' : ''}</td>${c.runs.map((r) => `<td class="name">${esc(r.settings[p] ?? '—')}</td>`).join('')}</tr>`);
  return `<div class="scroll"><table class="settings">${header}${rows.join('')}</table></div>`;
}

function legend(c: Comparison, colorOf: Map<ComparedRun, string>): string {
  return `<div class="legend">${c.runs.map((r) => `<span><span class="swatch" style="background:${colorOf.get(r)}"></span>${esc(r.label)}</span>`).join('')}</div>`;
}

function curves(c: Comparison, colorOf: Map<ComparedRun, string>): string {
  const keys: string[] = [];
  for (const run of c.runs) for (const e of run.epochs) for (const k of Object.keys(e)) if (k !== 'epoch' && k !== 'time_s' && !keys.includes(k)) keys.push(k);
  const plots = keys.map((k) => {
    const svg = reportLinePlot({
      title: k,
      xLabel: 'epoch',
      yLabel: k,
      integerX: true,
      width: 560,
      height: 300,
      series: c.runs.map((r) => ({ name: r.label, color: colorOf.get(r)!, points: r.epochs.filter((e) => e[k] !== undefined).map((e) => [e.epoch!, e[k]!] as const) })),
    });
    // With many runs the plot's own legend does not fit; the page's legend above names them.
    return c.runs.length > 4 ? svg.replace(/<g class="legend">[\s\S]*?<\/g><\/g><\/svg>$|<g class="legend"><\/g><\/svg>$/, '</svg>') : svg;
  });
  return `${legend(c, colorOf)}<div class="plots">${plots.join('')}</div>`;
}

function coordinate(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** A scatter plot of one setting (numbers, or names as categories) against the monitor. */
function scatter(c: Comparison, setting: string, colorOf: Map<ComparedRun, string>): string {
  const width = 420;
  const height = 280;
  const m = REPORT_PLOT_MARGIN;
  const box = { left: m.left, right: width - m.right, top: m.top - 14, bottom: height - m.bottom };
  const points = c.runs
    .map((r) => ({ run: r, x: r.settings[setting], y: summaryMetric(r.summary, c.monitor) }))
    .filter((p): p is { run: ComparedRun; x: string; y: number } => p.x !== undefined && p.y !== undefined && Number.isFinite(p.y));
  const title = `${c.monitor} by ${setting}`;
  const open = `<svg class="plot scatter" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(title)}" font-family="sans-serif" font-size="11"><title>${esc(title)}</title><text x="${box.left}" y="16" font-size="13" font-weight="bold">${esc(title)}</text>`;
  if (points.length === 0) return `${open}<text x="${width / 2}" y="${height / 2}" text-anchor="middle" fill="#666">no data</text></svg>`;
  const numeric = points.every((p) => Number.isFinite(Number(p.x)));
  const categories = [...new Set(points.map((p) => p.x))];
  const xs = points.map((p) => Number(p.x));
  let xAxis: ReportAxis | null = null;
  if (numeric) {
    const lo = Math.min(...xs);
    const hi = Math.max(...xs);
    xAxis = lo > 0 && hi / lo >= 20 ? reportLogAxis(lo, hi) : reportLinearAxis(lo === hi ? lo - 1 : lo, lo === hi ? hi + 1 : hi);
  }
  const ys = points.map((p) => p.y);
  const yLo = Math.min(...ys);
  const yHi = Math.max(...ys);
  const yAxis = reportLinearAxis(yLo === yHi ? yLo - Math.abs(yLo || 1) * 0.1 : yLo, yLo === yHi ? yHi + Math.abs(yHi || 1) * 0.1 : yHi);
  const px = (p: { x: string }) =>
    xAxis ? reportAxisPosition(xAxis, Number(p.x), box.left, box.right) : box.left + ((categories.indexOf(p.x) + 0.5) / categories.length) * (box.right - box.left);
  const parts = [open];
  const xTicks = xAxis
    ? xAxis.ticks.map((t) => ({ at: reportAxisPosition(xAxis!, t, box.left, box.right), label: reportTickLabel(t, xAxis!) }))
    : categories.map((cat, i) => ({ at: box.left + ((i + 0.5) / categories.length) * (box.right - box.left), label: cat }));
  for (const t of xTicks) parts.push(`<line x1="${coordinate(t.at)}" y1="${box.top}" x2="${coordinate(t.at)}" y2="${box.bottom}" stroke="#eee"/><text x="${coordinate(t.at)}" y="${box.bottom + 17}" text-anchor="middle">${esc(t.label)}</text>`);
  for (const t of yAxis.ticks) {
    const sy = coordinate(reportAxisPosition(yAxis, t, box.bottom, box.top));
    parts.push(`<line x1="${box.left}" y1="${sy}" x2="${box.right}" y2="${sy}" stroke="#eee"/><text x="${box.left - 8}" y="${sy}" dy="0.32em" text-anchor="end">${esc(reportTickLabel(t, yAxis))}</text>`);
  }
  parts.push(
    `<path d="M${box.left},${box.top} V${box.bottom} H${box.right}" fill="none" stroke="#333"/>`,
    `<text x="${(box.left + box.right) / 2}" y="${height - 8}" text-anchor="middle">${esc(setting + (xAxis?.log ? ' (log scale)' : ''))}</text>`,
    `<text transform="translate(14 ${(box.top + box.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(c.monitor)}</text>`,
  );
  for (const p of points) {
    const cy = reportAxisPosition(yAxis, p.y, box.bottom, box.top);
    parts.push(`<circle class="point" data-run="${esc(p.run.label)}" cx="${coordinate(px(p))}" cy="${coordinate(cy)}" r="4" fill="${colorOf.get(p.run)}"><title>${esc(`${p.run.label}: ${setting}=${p.x}, ${c.monitor} ${p.y}`)}</title></circle>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

export function compareHtml(c: Comparison): string {
  const colorOf = new Map(c.runs.map((r, i) => [r, runColor(i, c.runs.length)] as const));
  const best = ranked(c)[0];
  const bestScore = best ? summaryMetric(best.summary, c.monitor) : undefined;
  const sections = [
    `<h1>mlspec comparison: ${esc(c.title)}</h1>`,
    `<p>${c.runs.length} run${c.runs.length === 1 ? '' : 's'}, ranked by <b>${esc(c.monitor)}</b> (${c.mode === 'min' ? 'lower' : 'higher'} is better)` +
      (best && bestScore !== undefined ? `; best: <b>${esc(best.label)}</b> with ${esc(formatNumber(bestScore))}` : '') +
      (c.sweep ? `. A ${c.sweep.mode} sweep of ${esc(c.sweep.spec)}${c.sweep.fixed.length ? ` with ${c.sweep.fixed.map((f) => `--set ${esc(f)}`).join(' ')}` : ''}` : '') +
      '.</p>',
    '<h2>Leaderboard</h2>',
    '<p>Click a column name to sort by it.</p>',
    leaderboards(c, colorOf),
    '<h2>Settings</h2>',
    settingsTable(c),
    '<h2>Curves</h2>',
    curves(c, colorOf),
  ];
  if (c.sweep && c.varied.length > 0) sections.push(`<h2>${esc(c.monitor)} by setting</h2>`, `<div class="plots">${c.varied.map((s) => scatter(c, s, colorOf)).join('')}</div>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mlspec comparison: ${esc(c.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    ...sections,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
