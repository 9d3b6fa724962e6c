/**
 * report.html: one self-contained page per run (inline CSS and SVG, no script, no external
 * request; a Content-Security-Policy forbids any). Sections: results, loss, metrics, learning
 * rate, confusion matrix, model, spec. The loss plots exist in a linear and a log variant; a
 * checkbox switches between them with CSS alone.
 */
import { formatMetricValue } from '../console.js';
import { reportEscapeHtml } from './escape.js';
import { reportDecimate, type ReportMetricsLog } from './metrics-log.js';
import type { RunSummary } from '../summary.js';
import type { ReportModelTable } from './model-table.js';
import { reportPrefersLog } from './scale.js';
import { reportLinePlot, type ReportPoint, type ReportSeries } from './svg-plot.js';
import { plural } from '../errors.js';

/** The parts of a run's summary.json the report shows. */
export type ReportSummaryFacts = Omit<RunSummary, 'out'>;

export interface ReportConfusion {
  /** The split the predictions are from: test, validation or train. */
  split: string;
  classNames: string[];
  /** counts[true][predicted] */
  counts: number[][];
}

export interface ReportContent {
  summary: ReportSummaryFacts;
  log: ReportMetricsLog;
  model: ReportModelTable | null;
  confusion: ReportConfusion | null;
  specSource: string;
}

/** Per-step series longer than this are thinned out (keeping each stretch's extremes). */
const REPORT_MAX_STEP_POINTS = 1500;

const REPORT_TRAIN_COLOR = '#1f77b4';
const REPORT_VALIDATION_COLOR = '#ff7f0e';

const REPORT_STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1340px; padding: 16px 24px 48px; color: #222; }
h1 { margin: 8px 0 4px; } h2 { margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
nav a { margin-right: 14px; } .facts { color: #444; } .facts span { margin-right: 18px; white-space: nowrap; }
table { border-collapse: collapse; font-size: 14px; } th, td { padding: 4px 10px; border: 1px solid #ddd; text-align: right; }
th { background: #f6f6f6; } td.name, th.name { text-align: left; }
.plots { display: flex; flex-wrap: wrap; gap: 12px; } svg.plot { border: 1px solid #eee; background: #fff; }
.view-log { display: none; }
#loss-log:checked ~ .scale-views .view-log { display: block; }
#loss-log:checked ~ .scale-views .view-linear { display: none; }
table.confusion td { min-width: 44px; text-align: center; } table.confusion td.name { text-align: left; } .note { color: #666; font-size: 13px; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 12px; overflow-x: auto; font-size: 13px; }
`;

/** A table cell: HTML content, with an optional inline style. */
type ReportCell = string | { html: string; style: string };

/** A table whose first `textColumns` columns are left-aligned text and the rest numbers. */
function reportHtmlTable(header: readonly string[], rows: readonly ReportCell[][], className: string, textColumns = 1): string {
  const align = (i: number) => (i < textColumns ? ' class="name"' : '');
  const cell = (c: ReportCell, i: number) =>
    typeof c === 'string' ? `<td${align(i)}>${c}</td>` : `<td${align(i)} style="${c.style}">${c.html}</td>`;
  const head = `<tr>${header.map((h, i) => `<th${align(i)}>${h}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('');
  return `<table class="${className}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

function reportFacts(summary: ReportSummaryFacts): string {
  const esc = reportEscapeHtml;
  const facts = [
    `${plural(summary.epochs_run, 'epoch')}, ${plural(summary.steps, 'step')}`,
    summary.stopped_early ? 'stopped early by the stop rule' : null,
    summary.restored_best_epoch !== null ? `weights of epoch ${summary.restored_best_epoch} restored` : null,
    `backend ${summary.backend}`,
    `seed ${summary.seed}`,
    `${summary.wall_time_s.toFixed(1)} s`,
    `${Math.round(summary.samples_per_s)} samples/s`,
    `spec ${summary.spec_hash.slice(0, 12)}`,
    `data ${summary.data_hash.slice(0, 12)}`,
  ].filter((fact): fact is string => fact !== null);
  return `<p class="facts">${facts.map((fact) => `<span>${esc(fact)}</span>`).join('')}</p>`;
}

function reportResultsTable(summary: ReportSummaryFacts): string {
  const splits: [string, Record<string, number>][] = [];
  for (const name of ['train', 'validation', 'test'] as const) {
    const metrics = summary[name];
    if (metrics !== null) splits.push([name, metrics]);
  }
  const columns = [...new Set(splits.flatMap(([, metrics]) => Object.keys(metrics)))];
  const rows = splits.map(([name, metrics]) => [
    reportEscapeHtml(name),
    ...columns.map((column) => (metrics[column] === undefined ? '' : reportEscapeHtml(formatMetricValue(metrics[column]!)))),
  ]);
  return reportHtmlTable(['split', ...columns.map(reportEscapeHtml)], rows, 'results');
}

function reportEpochSeries(log: ReportMetricsLog, key: string): ReportPoint[] {
  return log.epochs.filter((e) => key in e.metrics).map((e) => [e.epoch, e.metrics[key]!] as const);
}

function reportLossPlots(log: ReportMetricsLog, logY: boolean): string {
  const series: ReportSeries[] = [{ name: 'train', points: reportEpochSeries(log, 'loss'), color: REPORT_TRAIN_COLOR }];
  const validation = reportEpochSeries(log, 'val_loss');
  if (validation.length > 0) series.push({ name: 'validation', points: validation, color: REPORT_VALIDATION_COLOR });
  const steps = reportDecimate(
    log.steps.map((s) => [s.step, s.loss] as const),
    REPORT_MAX_STEP_POINTS,
  );
  return (
    reportLinePlot({ title: 'Loss per epoch', xLabel: 'epoch', yLabel: 'loss', series, logY, integerX: true, className: 'loss-epochs' }) +
    reportLinePlot({
      title: 'Loss per step (training batches)',
      xLabel: 'step',
      yLabel: 'loss',
      series: [{ name: 'batch loss', points: steps, color: '#5b8db8' }],
      logY,
      integerX: true,
      className: 'loss-steps',
    })
  );
}

function reportLossSection(log: ReportMetricsLog): string {
  const losses = [...log.steps.map((s) => s.loss), ...log.epochs.flatMap((e) => [e.metrics.loss, e.metrics.val_loss])].filter(
    (v): v is number => v !== undefined && Number.isFinite(v),
  );
  const canLog = losses.length > 0 && losses.every((v) => v > 0);
  if (!canLog) return `<div class="plots">${reportLossPlots(log, false)}</div>`;
  const checked = reportPrefersLog(losses) ? ' checked' : '';
  return (
    `<input type="checkbox" id="loss-log"${checked}><label for="loss-log"> log scale</label>` +
    `<div class="scale-views"><div class="plots view-linear">${reportLossPlots(log, false)}</div>` +
    `<div class="plots view-log">${reportLossPlots(log, true)}</div></div>`
  );
}

/** One plot per metric other than the loss and the learning rate: its train and validation curves. */
function reportMetricPlots(log: ReportMetricsLog): string {
  const names = new Set<string>();
  for (const epoch of log.epochs) {
    for (const key of Object.keys(epoch.metrics)) {
      const base = key.startsWith('val_') ? key.slice(4) : key;
      if (base !== 'loss' && base !== 'lr') names.add(base);
    }
  }
  if (names.size === 0) return '<p class="note">The spec asks for no metrics besides the loss.</p>';
  const plots = [...names].map((name) => {
    const series: ReportSeries[] = [];
    const train = reportEpochSeries(log, name);
    const validation = reportEpochSeries(log, `val_${name}`);
    if (train.length > 0) series.push({ name: 'train', points: train, color: REPORT_TRAIN_COLOR });
    if (validation.length > 0) series.push({ name: 'validation', points: validation, color: REPORT_VALIDATION_COLOR });
    return reportLinePlot({ title: name, xLabel: 'epoch', yLabel: name, series, integerX: true, className: 'metric' });
  });
  return `<div class="plots">${plots.join('')}</div>`;
}

function reportLearningRatePlot(log: ReportMetricsLog): string {
  const points = reportDecimate(
    log.steps.map((s) => [s.step, s.lr] as const),
    REPORT_MAX_STEP_POINTS,
  );
  return reportLinePlot({
    title: 'Learning rate per step',
    xLabel: 'step',
    yLabel: 'learning rate',
    series: [{ name: 'lr', points, color: '#2ca02c' }],
    integerX: true,
    className: 'learning-rate',
  });
}

function reportConfusionTable(confusion: ReportConfusion): string {
  const esc = reportEscapeHtml;
  const { classNames, counts } = confusion;
  const total = counts.reduce((sum, row) => sum + row.reduce((a, b) => a + b, 0), 0);
  const correct = counts.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const header = ['true \\ predicted', ...classNames.map(esc), 'total', 'recall'];
  const rows = counts.map((row, t) => {
    const rowTotal = row.reduce((a, b) => a + b, 0);
    const cells = row.map((count, p) => {
      const share = rowTotal === 0 ? 0 : count / rowTotal;
      const color = t === p ? `rgba(31, 119, 180, ${(share * 0.6).toFixed(3)})` : `rgba(214, 39, 40, ${(share * 0.6).toFixed(3)})`;
      return { html: String(count), style: `background: ${color}` };
    });
    const recall = rowTotal === 0 ? '' : `${((100 * (row[t] ?? 0)) / rowTotal).toFixed(1)}%`;
    return [esc(classNames[t] ?? String(t)), ...cells, String(rowTotal), recall];
  });
  const accuracy = total === 0 ? '' : ` Accuracy ${((100 * correct) / total).toFixed(1)}% (${correct} of ${total}).`;
  return (
    `<p class="note">Rows: true class; columns: predicted class; on the ${esc(confusion.split)} split (${total} predictions).${accuracy}</p>` +
    reportHtmlTable(header, rows, 'confusion')
  );
}

function reportModelSection(model: ReportModelTable | null): string {
  if (model === null) return '<p class="note">No model summary.</p>';
  const esc = reportEscapeHtml;
  const rows = model.layers.map((layer) => [
    esc(layer.name),
    esc(layer.kind),
    esc(layer.className),
    esc(layer.outputShape),
    layer.params.toLocaleString('en-US'),
  ]);
  const totals =
    `<p class="facts"><span>Total params: ${model.totalParams.toLocaleString('en-US')}</span>` +
    `<span>Trainable params: ${model.trainableParams.toLocaleString('en-US')}</span>` +
    `<span>Non-trainable params: ${(model.totalParams - model.trainableParams).toLocaleString('en-US')}</span></p>`;
  return reportHtmlTable(['layer', 'kind', 'tfjs class', 'output shape', 'params'], rows, 'model', 4) + totals;
}

export function reportRenderHtml(content: ReportContent): string {
  const esc = reportEscapeHtml;
  const { summary, log } = content;
  const sections: [id: string, title: string, body: string][] = [
    ['results', 'Results', reportResultsTable(summary)],
    ['loss', 'Loss', reportLossSection(log)],
    ['metrics', 'Metrics', reportMetricPlots(log)],
    ['learning-rate', 'Learning rate', `<div class="plots">${reportLearningRatePlot(log)}</div>`],
  ];
  if (content.confusion) sections.push(['confusion', 'Confusion matrix', reportConfusionTable(content.confusion)]);
  sections.push(['model', 'Model', reportModelSection(content.model)]);
  sections.push(['spec', 'Spec', `<pre id="spec-source"><code>${esc(content.specSource)}</code></pre>`]);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>mlspec run report: ${esc(summary.spec)}</title>`,
    `<style>${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${esc(summary.spec)}</h1>`,
    reportFacts(summary),
    `<nav>${sections.map(([id, title]) => `<a href="#${id}">${esc(title)}</a>`).join('')}</nav>`,
    ...sections.map(([id, title, body]) => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
