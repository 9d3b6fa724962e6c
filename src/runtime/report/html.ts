/**
 * report.html: one self-contained page per run (inline CSS and SVG, no script, no external
 * request; a Content-Security-Policy forbids any). Sections: results, loss, metrics, learning
 * rate, confusion matrix with per-class scores, ROC and precision-recall curves (binary
 * classifiers), predicted-vs-actual and residuals (regression), model, spec. The loss plots exist
 * in a linear and a log variant; a checkbox switches between them with CSS alone. Plots are SVG
 * with a viewBox at the page's width; the restored best epoch is marked on every curve.
 */
import { formatMetricValue } from '../console.js';
import { reportEscapeHtml } from './escape.js';
import { reportDecimate, type ReportMetricsLog } from './metrics-log.js';
import type { RunSummary } from '../summary.js';
import type { ReportModelTable } from './model-table.js';
import { reportPrefersLog } from './scale.js';
import { reportLinePlot, type ReportPoint, type ReportSeries } from './svg-plot.js';
import { plural } from '../errors.js';
import { editedSentence } from '../edited-note.js';
import { reportClassScores, type ReportRankingCurves } from './curves.js';

/** The parts of a run's summary.json the report shows. */
/** program is absent in reports written before runs described what they trained. */
export type ReportSummaryFacts = Omit<RunSummary, 'out' | 'program'> & Partial<Pick<RunSummary, 'program'>>;

export interface ReportConfusion {
  /** The split the predictions are from: test, validation or train. */
  split: string;
  classNames: string[];
  /** counts[true][predicted] */
  counts: number[][];
}

/** The ROC and precision-recall curves of a binary classifier on one split. */
export interface ReportBinaryCurves extends ReportRankingCurves {
  split: string;
  /** The class of label 1 (what precision and recall count as positive), and of label 0. */
  positive: string;
  negative: string;
}

/** A regression's predictions on one split (flattened; at most a few thousand shown). */
export interface ReportRegression {
  split: string;
  actual: number[];
  predicted: number[];
  /** Values predicted in all (actual may hold fewer). */
  total: number;
}

/** How a run that did not finish ended: Ctrl-C (exit 130) or a diverged loss (exit 3). */
export interface ReportRunStatus {
  kind: 'interrupted' | 'diverged';
  /** The sentence the run ended with. */
  message: string;
}

export interface ReportContent {
  summary: ReportSummaryFacts;
  log: ReportMetricsLog;
  model: ReportModelTable | null;
  confusion: ReportConfusion | null;
  binary?: ReportBinaryCurves | null;
  regression?: ReportRegression | null;
  /** The class binary metrics (precision, recall) count as positive; null when not a binary classifier. */
  positiveClass?: string | null;
  /** Absent for a finished run. */
  status?: ReportRunStatus;
  /**
   * The stop rule's best epoch (1-based), and whether its weights were restored; when absent,
   * summary.restored_best_epoch (restored) is used.
   */
  best?: { epoch: number; restored: boolean } | null;
  specSource: string;
}

/** viewBox sizes: curves span the page's width; square-ish plots go two to a row on wide pages. */
const REPORT_WIDE = { width: 880, height: 290 } as const;
const REPORT_SQUARE = { width: 520, height: 440 } as const;

/** Per-step series longer than this are thinned out (keeping each stretch's extremes). */
const REPORT_MAX_STEP_POINTS = 1500;

const REPORT_TRAIN_COLOR = '#1f77b4';
const REPORT_VALIDATION_COLOR = '#ff7f0e';

const REPORT_STYLE = `
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1340px; padding: 16px 24px 48px; color: #222; }
h1 { margin: 8px 0 4px; overflow-wrap: anywhere; } h2 { margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.badge { font-size: 15px; vertical-align: middle; padding: 2px 8px; border-radius: 10px; color: #fff; margin-left: 8px; }
.badge.interrupted { background: #c77700; } .badge.diverged { background: #c62828; }
.status { padding: 8px 12px; border-radius: 4px; margin: 8px 0; overflow-wrap: anywhere; }
.status.interrupted { background: #fff4e5; border: 1px solid #f0b45a; } .status.diverged { background: #fdecea; border: 1px solid #e57373; }
nav, .facts { display: flex; flex-wrap: wrap; gap: 4px 18px; } .facts { color: #444; margin: 6px 0; } .facts span { overflow-wrap: anywhere; }
.facts .best { color: #1a7f1a; font-weight: 600; }
.table-wrap { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: 14px; } th, td { padding: 4px 10px; border: 1px solid #ddd; text-align: right; }
th { background: #f6f6f6; } td.name, th.name { text-align: left; overflow-wrap: anywhere; }
.plots { display: grid; grid-template-columns: minmax(0, 1fr); gap: 12px; }
.plots.pair { grid-template-columns: repeat(auto-fit, minmax(min(100%, 420px), 1fr)); }
svg.plot { display: block; width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
.view-log { display: none; }
#loss-log:checked ~ .scale-views .view-log { display: grid; }
#loss-log:checked ~ .scale-views .view-linear { display: none; }
.loss-steps [data-series^="smoothed"] { display: none; }
#loss-smooth:checked ~ .scale-views .loss-steps [data-series^="smoothed"] { display: inline; }
#loss-smooth:checked ~ .scale-views .loss-steps path[data-series="batch loss"] { stroke-opacity: 0.3; }
table.confusion td { min-width: 44px; text-align: center; } table.confusion td.name { text-align: left; } table.confusion td.zero { color: #aaa; }
table.confusion td.error { font-weight: 600; color: #8b1a1a; }
.note { color: #666; font-size: 13px; } .positive { font-weight: 600; }
pre { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 12px; font-size: 13px; max-width: 100%; white-space: pre-wrap; overflow-wrap: anywhere; }
`;

/** A table cell: HTML content, with an optional inline style. */
type ReportCell = string | { html: string; style: string; className?: string };

/** A table whose first `textColumns` columns are left-aligned text and the rest numbers. */
function reportHtmlTable(header: readonly string[], rows: readonly ReportCell[][], className: string, textColumns = 1): string {
  const align = (i: number) => (i < textColumns ? ' class="name"' : '');
  const cell = (c: ReportCell, i: number) =>
    typeof c === 'string'
      ? `<td${align(i)}>${c}</td>`
      : `<td${c.className ? ` class="${c.className}"` : align(i)} style="${c.style}">${c.html}</td>`;
  const head = `<tr>${header.map((h, i) => `<th${align(i)}>${h}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table class="${className}"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}

/** The best epoch marked on curves: the one whose weights the stop rule restored. */
interface ReportBest {
  epoch: number;
  restored: boolean;
  /** The last step of that epoch (for per-step curves); null when the log has no steps of it. */
  step: number | null;
}

function reportBestOf(content: ReportContent): ReportBest | null {
  const { summary, log } = content;
  const given =
    content.best !== undefined
      ? content.best
      : summary.restored_best_epoch !== null && summary.restored_best_epoch !== undefined
        ? { epoch: summary.restored_best_epoch, restored: true }
        : null;
  if (given === null) return null;
  let step: number | null = null;
  for (const s of log.steps) if (s.epoch === given.epoch && (step === null || s.step > step)) step = s.step;
  return { ...given, step };
}

function reportEpochMarker(best: ReportBest | null) {
  return best === null ? {} : { marker: { x: best.epoch, label: `best epoch ${best.epoch}${best.restored ? ' (restored)' : ''}` } };
}

function reportStepMarker(best: ReportBest | null) {
  return best === null || best.step === null ? {} : { marker: { x: best.step, label: `end of best epoch ${best.epoch}` } };
}

function reportFacts(summary: ReportSummaryFacts, status: ReportRunStatus | undefined, bestEpoch: ReportBest | null): string {
  const esc = reportEscapeHtml;
  const best =
    bestEpoch === null
      ? ''
      : `<span class="best" id="best-epoch">best epoch ${bestEpoch.epoch} of ${summary.epochs_run} (${
          bestEpoch.restored ? 'its weights restored' : status === undefined ? 'by the stop rule; the weights are the last epoch\'s' : 'by the stop rule so far'
        })</span>`;
  const facts = [
    status === undefined
      ? `${plural(summary.epochs_run, 'epoch')}, ${plural(summary.steps, 'step')}`
      : `${status.kind} after ${plural(summary.epochs_run, 'finished epoch')}, ${plural(summary.steps, 'step')}`,
    summary.stopped_early ? 'stopped early by the stop rule' : null,
    `backend ${summary.backend}`,
    `seed ${summary.seed}`,
    `${summary.wall_time_s.toFixed(1)} s`,
    `${Math.round(summary.samples_per_s)} samples/s`,
    `spec ${summary.spec_hash.slice(0, 12)}`,
    `data ${summary.data_hash.slice(0, 12)}`,
  ].filter((fact): fact is string => fact !== null);
  return `<p class="facts">${best}${facts.map((fact) => `<span>${esc(fact)}</span>`).join('')}</p>`;
}

function reportResultsSection(content: ReportContent): string {
  const esc = reportEscapeHtml;
  const notes: string[] = [];
  if (content.status !== undefined) {
    notes.push(
      content.summary.epochs_run === 0
        ? 'No epoch finished, so there are no results yet.'
        : `The run did not finish: these are the metrics of its last finished epoch (${content.summary.epochs_run}), not a final evaluation.`,
    );
  }
  if (content.positiveClass !== undefined && content.positiveClass !== null) {
    notes.push(`Binary metrics (precision, recall) count <span class="positive" id="positive-class">${esc(content.positiveClass)}</span> (label 1) as the positive class.`);
  }
  return reportResultsTable(content.summary) + notes.map((note) => `<p class="note">${note}</p>`).join('');
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

function reportLossPlots(log: ReportMetricsLog, logY: boolean, best: ReportBest | null): string {
  const series: ReportSeries[] = [{ name: 'train', points: reportEpochSeries(log, 'loss'), color: REPORT_TRAIN_COLOR }];
  const validation = reportEpochSeries(log, 'val_loss');
  if (validation.length > 0) series.push({ name: 'validation', points: validation, color: REPORT_VALIDATION_COLOR });
  const steps = reportDecimate(
    log.steps.map((s) => [s.step, s.loss] as const),
    REPORT_MAX_STEP_POINTS,
  );
  const smoothed = reportDecimate(reportSmooth(log.steps.map((s) => [s.step, s.loss] as const), REPORT_SMOOTHING), REPORT_MAX_STEP_POINTS);
  return (
    reportLinePlot({
      title: 'Loss per epoch',
      xLabel: 'epoch',
      yLabel: 'loss',
      series,
      logY,
      integerX: true,
      className: 'loss-epochs',
      responsive: true,
      ...REPORT_WIDE,
      ...reportEpochMarker(best),
    }) +
    reportLinePlot({
      title: 'Loss per step (training batches)',
      xLabel: 'step',
      yLabel: 'loss',
      series: [
        { name: 'batch loss', points: steps, color: '#5b8db8' },
        { name: REPORT_SMOOTHED_NAME, points: smoothed, color: '#08306b' },
      ],
      logY,
      integerX: true,
      className: 'loss-steps',
      responsive: true,
      ...REPORT_WIDE,
      ...reportStepMarker(best),
    })
  );
}

/** The weight of the per-step loss's exponential moving average (TensorBoard's smoothing slider). */
const REPORT_SMOOTHING = 0.9;
const REPORT_SMOOTHED_NAME = `smoothed (EMA ${REPORT_SMOOTHING})`;

/**
 * An exponential moving average with TensorBoard's debiasing (the first values are not pulled
 * towards 0); non-finite values are passed over and keep their gap.
 */
export function reportSmooth(points: readonly ReportPoint[], weight: number): ReportPoint[] {
  let average = 0;
  let count = 0;
  return points.map(([x, y]) => {
    if (!Number.isFinite(y)) return [x, y] as const;
    average = average * weight + (1 - weight) * y;
    count += 1;
    return [x, average / (1 - weight ** count)] as const;
  });
}

function reportLossSection(log: ReportMetricsLog, best: ReportBest | null): string {
  const losses = [...log.steps.map((s) => s.loss), ...log.epochs.flatMap((e) => [e.metrics.loss, e.metrics.val_loss])].filter(
    (v): v is number => v !== undefined && Number.isFinite(v),
  );
  const canLog = losses.length > 0 && losses.every((v) => v > 0);
  // The smoothing switch: CSS shows the smoothed per-step curve (and dims the raw one) while it is checked.
  const smooth = `<input type="checkbox" id="loss-smooth" checked><label for="loss-smooth"> smooth the per-step loss</label> `;
  if (!canLog) return `${smooth}<div class="scale-views"><div class="plots">${reportLossPlots(log, false, best)}</div></div>`;
  const checked = reportPrefersLog(losses) ? ' checked' : '';
  return (
    `${smooth}<input type="checkbox" id="loss-log"${checked}><label for="loss-log"> log scale</label>` +
    `<div class="scale-views"><div class="plots view-linear">${reportLossPlots(log, false, best)}</div>` +
    `<div class="plots view-log">${reportLossPlots(log, true, best)}</div></div>`
  );
}

/** One plot per metric other than the loss and the learning rate: its train and validation curves. */
function reportMetricPlots(log: ReportMetricsLog, best: ReportBest | null): string {
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
    return reportLinePlot({
      title: name,
      xLabel: 'epoch',
      yLabel: name,
      series,
      integerX: true,
      className: 'metric',
      responsive: true,
      ...REPORT_WIDE,
      ...reportEpochMarker(best),
    });
  });
  return `<div class="plots">${plots.join('')}</div>`;
}

function reportLearningRatePlot(log: ReportMetricsLog, best: ReportBest | null): string {
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
    responsive: true,
    ...REPORT_WIDE,
    ...reportStepMarker(best),
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
    const cells = row.map((count, p) => reportConfusionCell(count, rowTotal, t === p));
    const recall = rowTotal === 0 ? '' : `${((100 * (row[t] ?? 0)) / rowTotal).toFixed(1)}%`;
    return [esc(classNames[t] ?? String(t)), ...cells, String(rowTotal), recall];
  });
  const accuracy = total === 0 ? '' : ` Accuracy ${((100 * correct) / total).toFixed(1)}% (${correct} of ${total}).`;
  return (
    `<p class="note">Rows: true class; columns: predicted class; on the ${esc(confusion.split)} split (${total} predictions).${accuracy} ` +
    'Correct predictions are blue, errors red; the shade grows with the share of the row, and any non-zero error is visibly tinted.</p>' +
    reportHtmlTable(header, rows, 'confusion') +
    reportClassScoresTable(confusion)
  );
}

/**
 * A confusion cell: blue on the diagonal, red off it; the tint's opacity grows with the share
 * of the row but starts at 0.18 for any non-zero count, so a single error among hundreds shows.
 */
export function reportConfusionCell(count: number, rowTotal: number, correct: boolean): { html: string; style: string; className: string } {
  const className = count === 0 ? 'zero' : correct ? 'hit' : 'error';
  if (count === 0 || rowTotal === 0) return { html: String(count), style: 'background: transparent', className };
  const alpha = 0.18 + 0.57 * (count / rowTotal);
  const rgb = correct ? '31, 119, 180' : '214, 39, 40';
  return { html: String(count), style: `background: rgba(${rgb}, ${alpha.toFixed(3)})`, className };
}

function reportPercent(value: number | null): string {
  return value === null ? '–' : `${(100 * value).toFixed(1)}%`;
}

/** Precision, recall, F1 and support per class, with their macro average. */
function reportClassScoresTable(confusion: ReportConfusion): string {
  const esc = reportEscapeHtml;
  const scores = reportClassScores(confusion.counts);
  const rows = scores.map((score, c) => [
    esc(confusion.classNames[c] ?? String(c)),
    reportPercent(score.precision),
    reportPercent(score.recall),
    reportPercent(score.f1),
    String(score.support),
  ]);
  const mean = (values: (number | null)[]) => {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
  };
  rows.push([
    '<em>macro average</em>',
    reportPercent(mean(scores.map((s) => s.precision))),
    reportPercent(mean(scores.map((s) => s.recall))),
    reportPercent(mean(scores.map((s) => s.f1))),
    String(scores.reduce((sum, s) => sum + s.support, 0)),
  ]);
  return (
    `<h3>Per-class scores (${esc(confusion.split)} split)</h3>` +
    reportHtmlTable(['class', 'precision', 'recall', 'F1', 'support'], rows, 'class-scores') +
    '<p class="note">Each class counted as the positive one in turn; – where a class was never predicted or has no samples.</p>'
  );
}

/** ROC and precision-recall curves of a binary classifier, with ROC AUC and average precision. */
function reportBinaryCurvesSection(binary: ReportBinaryCurves): string {
  const esc = reportEscapeHtml;
  const positiveRate = binary.positives / (binary.positives + binary.negatives);
  const roc = reportLinePlot({
    title: `ROC curve (AUC ${binary.rocAuc.toFixed(3)})`,
    xLabel: 'false positive rate',
    yLabel: 'true positive rate (recall)',
    series: [
      { name: 'model', points: binary.roc, color: REPORT_TRAIN_COLOR },
      { name: 'chance', points: [[0, 0], [1, 1]], color: '#999', dashed: true },
    ],
    xRange: [0, 1],
    yRange: [0, 1],
    className: 'roc',
    responsive: true,
    ...REPORT_SQUARE,
  });
  const pr = reportLinePlot({
    title: `Precision-recall (AP ${binary.averagePrecision.toFixed(3)})`,
    xLabel: 'recall',
    yLabel: 'precision',
    series: [
      { name: 'model', points: binary.pr, color: REPORT_VALIDATION_COLOR },
      { name: 'chance', points: [[0, positiveRate], [1, positiveRate]], color: '#999', dashed: true },
    ],
    xRange: [0, 1],
    yRange: [0, 1],
    className: 'precision-recall',
    responsive: true,
    ...REPORT_SQUARE,
  });
  return (
    `<p class="note">On the ${esc(binary.split)} split (${binary.positives} positive, ${binary.negatives} negative). ` +
    `Positive class: <span class="positive">${esc(binary.positive)}</span> (label 1); negative: ${esc(binary.negative)}. ` +
    `<span id="roc-auc">ROC AUC ${binary.rocAuc.toFixed(4)}</span>, <span id="average-precision">average precision ${binary.averagePrecision.toFixed(4)}</span>.</p>` +
    `<div class="plots pair">${roc}${pr}</div>`
  );
}

/** Predicted against actual values (with the line of perfect predictions), and residuals against predictions. */
function reportRegressionSection(regression: ReportRegression): string {
  const esc = reportEscapeHtml;
  const { actual, predicted } = regression;
  const pairs: ReportPoint[] = actual.map((a, i) => [a, predicted[i]!] as const);
  const residuals: ReportPoint[] = actual.map((a, i) => [predicted[i]!, a - predicted[i]!] as const);
  const finite = [...actual, ...predicted].filter((v) => Number.isFinite(v));
  const lo = finite.length > 0 ? Math.min(...finite) : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 1;
  const finitePredicted = predicted.filter((v) => Number.isFinite(v));
  const pLo = finitePredicted.length > 0 ? Math.min(...finitePredicted) : 0;
  const pHi = finitePredicted.length > 0 ? Math.max(...finitePredicted) : 1;
  const n = actual.length;
  const mae = n === 0 ? NaN : actual.reduce((sum, a, i) => sum + Math.abs(a - predicted[i]!), 0) / n;
  const scatter = reportLinePlot({
    title: 'Predicted vs actual',
    xLabel: 'actual',
    yLabel: 'predicted',
    series: [
      { name: 'samples', points: pairs, color: REPORT_TRAIN_COLOR, scatter: true },
      { name: 'perfect', points: [[lo, lo], [hi, hi]], color: '#999', dashed: true },
    ],
    // The same interval on both axes, so that the line of perfect predictions is the diagonal.
    xRange: [lo, hi],
    yRange: [lo, hi],
    className: 'predicted-actual',
    responsive: true,
    ...REPORT_SQUARE,
  });
  const residualPlot = reportLinePlot({
    title: 'Residuals (actual − predicted)',
    xLabel: 'predicted',
    yLabel: 'residual',
    series: [
      { name: 'samples', points: residuals, color: REPORT_VALIDATION_COLOR, scatter: true },
      { name: 'zero', points: [[pLo, 0], [pHi, 0]], color: '#999', dashed: true },
    ],
    xRange: [pLo, pHi],
    className: 'residuals',
    responsive: true,
    ...REPORT_SQUARE,
  });
  const shown = regression.total > n ? ` (the first ${n} of ${regression.total} values)` : ` (${n} values)`;
  return (
    `<p class="note">On the ${esc(regression.split)} split${shown}; mean absolute error ${esc(formatMetricValue(mae))}.</p>` +
    `<div class="plots pair">${scatter}${residualPlot}</div>`
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
  const { summary, log, status } = content;
  const best = reportBestOf(content);
  const sections: [id: string, title: string, body: string][] = [
    ['results', 'Results', reportResultsSection(content)],
    ['loss', 'Loss', reportLossSection(log, best)],
    ['metrics', 'Metrics', reportMetricPlots(log, best)],
    ['learning-rate', 'Learning rate', `<div class="plots">${reportLearningRatePlot(log, best)}</div>`],
  ];
  if (content.confusion) sections.push(['confusion', 'Confusion matrix', reportConfusionTable(content.confusion)]);
  if (content.binary) sections.push(['roc', 'ROC and precision-recall', reportBinaryCurvesSection(content.binary)]);
  if (content.regression) sections.push(['regression', 'Predictions', reportRegressionSection(content.regression)]);
  sections.push(['model', 'Model', reportModelSection(content.model)]);
  if (summary.program) {
    // What ran, read from the trained objects: a compiled program may have been edited since its spec.
    const origin = summary.program.source === 'program' ? `the compiled program (sha256 ${summary.program.sha256.slice(0, 12)})` : 'the spec';
    const edited = summary.edited && summary.edited.length > 0 ? `<p class="facts" id="program-edited"><span>${esc(editedSentence(summary.edited))}</span></p>` : '';
    sections.push(['program', 'Program', `<p class="facts"><span>${esc(`trained by ${origin}`)}</span></p>${edited}<pre id="program-description"><code>${esc(JSON.stringify(summary.program, null, 2))}</code></pre>`]);
  }
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
    `<h1>${esc(summary.spec)}${status ? ` <span class="badge ${status.kind}" id="run-status">${status.kind}</span>` : ''}</h1>`,
    status
      ? `<p class="status ${status.kind}">${esc(
          status.kind === 'interrupted' ? 'This run was interrupted (Ctrl-C) before it finished. ' : 'This run diverged before it finished. ',
        )}${esc(status.message)}</p>`
      : '',
    reportFacts(summary, status, best),
    `<nav>${sections.map(([id, title]) => `<a href="#${id}">${esc(title)}</a>`).join('')}</nav>`,
    ...sections.map(([id, title, body]) => `<section id="${id}"><h2>${esc(title)}</h2>${body}</section>`),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
