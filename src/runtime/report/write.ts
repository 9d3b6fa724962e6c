/**
 * Writes a run's report.html, once training and the final evaluation are done (program.ts calls
 * writeRunReport right after summary.json). It reads metrics.jsonl for the curves, the built
 * model for the summary, and predicts the test split (else validation, else train) for the
 * confusion matrix of a classifier, the ROC and precision-recall curves of a binary one, and the
 * predicted-vs-actual and residual plots of a regression. Interrupted and diverged runs write it
 * too (writePartialRunReport), from the epochs they finished.
 */
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelGraph, PreparedData, Split } from '../contracts.js';
import type { BuiltModel } from '../model.js';
import type { TrainingPlan } from '../plan.js';
import { writeFileAtomic } from '../atomic-write.js';
import { predictSplit } from '../train.js';
import { reportClassPredictions, reportConfusionMatrix } from './confusion.js';
import { reportRankingCurves } from './curves.js';
import {
  reportRenderHtml,
  type ReportBinaryCurves,
  type ReportConfusion,
  type ReportRegression,
  type ReportRunStatus,
  type ReportSummaryFacts,
} from './html.js';
import { reportReadMetricsLog } from './metrics-log.js';
import { reportModelTable } from './model-table.js';

export const REPORT_FILE = 'report.html';

/** Confusion matrices with more classes than this are left out (they would not be readable). */
const REPORT_MAX_CONFUSION_CLASSES = 50;

const REPORT_CLASSIFICATION_LOSSES = new Set(['binary_cross_entropy', 'categorical_cross_entropy', 'sparse_categorical_cross_entropy']);

export interface RunReportInput {
  plan: Pick<TrainingPlan, 'loss' | 'graph' | 'specSource'> & Partial<Pick<TrainingPlan, 'stop'>>;
  summary: ReportSummaryFacts;
  data: Pick<PreparedData, 'train' | 'validation' | 'test' | 'labels'>;
  built: BuiltModel;
  /** Set for a run that did not finish (interrupted, diverged). */
  status?: ReportRunStatus;
}

/** What the report shows from the model's predictions on one split. */
export interface ReportPredictions {
  confusion: ReportConfusion | null;
  binary: ReportBinaryCurves | null;
  regression: ReportRegression | null;
}

/** Regression scatter plots show at most this many samples. */
const REPORT_MAX_REGRESSION_POINTS = 5000;

/**
 * The decision threshold of a single binary output: 0.5 when the output node ends in a sigmoid
 * (a probability), else 0 (a logit, as for `binary_cross_entropy(from_logits: true)`).
 */
function reportBinaryThreshold(graph: ModelGraph | null, model: tf.LayersModel): number {
  if (graph === null) {
    // A compiled program's model: the output layer's own activation.
    const last = model.outputLayers[0]?.getConfig() as { activation?: unknown } | undefined;
    return last?.activation === 'sigmoid' || last?.activation === 'softmax' ? 0.5 : 0;
  }
  const output = graph.nodes.find((node) => node.name === graph.outputs[0]);
  const activation = output?.config['activation'] ?? output?.config['fn'];
  return activation === 'sigmoid' || activation === 'softmax' ? 0.5 : 0;
}

function reportHasRows(split: Split | null): split is Split {
  return split !== null && split.x.shape[0]! > 0;
}

/** The split predicted for the report: test, else validation, else train. */
function reportPredictedSplit(data: RunReportInput['data']): [Split, string] {
  if (reportHasRows(data.test)) return [data.test, 'test'];
  if (reportHasRows(data.validation)) return [data.validation, 'validation'];
  return [data.train, 'train'];
}

/** The confusion matrix of a classifier on its test split (else validation, else train); null for regression. */
export async function reportConfusionOf(input: RunReportInput): Promise<ReportConfusion | null> {
  return (await reportPredictionsOf(input)).confusion;
}

/**
 * The model's predictions on the test split (else validation, else train), read with async data():
 * a classifier's confusion matrix (and for a single binary output, its ROC and precision-recall
 * curves), or a regression's predicted and actual values.
 */
export async function reportPredictionsOf(input: RunReportInput): Promise<ReportPredictions> {
  const { data } = input;
  const [split, name] = reportPredictedSplit(data);
  if (split.x.shape[0] === 0) return { confusion: null, binary: null, regression: null };
  const output: tf.Tensor = predictSplit(input.built, split.x);
  try {
    if (!REPORT_CLASSIFICATION_LOSSES.has(input.plan.loss.name)) {
      const [actual, predicted] = [Array.from(await split.y.data()), Array.from(await output.data())];
      if (actual.length !== predicted.length) return { confusion: null, binary: null, regression: null };
      const n = Math.min(actual.length, REPORT_MAX_REGRESSION_POINTS);
      return { confusion: null, binary: null, regression: { split: name, actual: actual.slice(0, n), predicted: predicted.slice(0, n), total: actual.length } };
    }
    const threshold = reportBinaryThreshold(input.plan.graph, input.built.model);
    const { truth, predicted, classes } = await reportClassPredictions(split.y, output, threshold);
    if (classes > REPORT_MAX_CONFUSION_CLASSES) return { confusion: null, binary: null, regression: null };
    const classNames = Array.from({ length: classes }, (_, i) => data.labels?.[i] ?? String(i));
    const confusion = { split: name, classNames, counts: reportConfusionMatrix(truth, predicted, classes) };
    let binary: ReportBinaryCurves | null = null;
    if (output.shape[output.rank - 1] === 1) {
      const curves = reportRankingCurves(truth, Array.from(await output.data()));
      if (curves !== null) binary = { split: name, positive: classNames[1]!, negative: classNames[0]!, ...curves };
    }
    return { confusion, binary, regression: null };
  } finally {
    output.dispose();
  }
}

/** Renders and writes dir/report.html (atomically). */
export async function writeRunReport(dir: string, input: RunReportInput): Promise<void> {
  const predictions = await reportPredictionsOf(input);
  const html = reportRenderHtml({
    summary: input.summary,
    log: reportReadMetricsLog(path.join(dir, 'metrics.jsonl')),
    model: reportModelTable(input.built.model, input.plan.graph),
    ...predictions,
    positiveClass: reportPositiveClass(input),
    best: reportBestEpoch(input),
    specSource: input.plan.specSource,
    ...(input.status ? { status: input.status } : {}),
  });
  writeFileAtomic(path.join(dir, REPORT_FILE), html);
}

/**
 * The epoch marked as best: the restored one, else the early-stopping rule's best so far (read
 * from its saved state, whose bestEpoch is 0-based), else none.
 */
function reportBestEpoch(input: RunReportInput): { epoch: number; restored: boolean } | null {
  if (input.summary.restored_best_epoch !== null) return { epoch: input.summary.restored_best_epoch, restored: true };
  const stop = input.plan.stop;
  if (stop?.name !== 'early') return null;
  const state = stop.getState();
  const bestEpoch = state !== null && typeof state === 'object' && !Array.isArray(state) ? state['bestEpoch'] : undefined;
  return typeof bestEpoch === 'number' && bestEpoch + 1 <= input.summary.epochs_run ? { epoch: bestEpoch + 1, restored: false } : null;
}

/** The class that precision and recall count as positive: a single binary output's label 1. */
function reportPositiveClass(input: RunReportInput): string | null {
  if (input.plan.loss.name !== 'binary_cross_entropy') return null;
  return input.data.labels?.[1] ?? '1';
}

/** The parts of summary.json that an unfinished run knows (no final evaluation). */
export type ReportPartialFacts = Omit<ReportSummaryFacts, 'train' | 'validation' | 'test'>;

/**
 * The report of a run that did not finish (interrupted or diverged), from the epochs it finished:
 * the results table shows the last finished epoch's metrics. Never throws: a failure to write the
 * report must not hide why the run ended (it is returned, for a note).
 */
export async function writePartialRunReport(
  dir: string,
  input: Omit<RunReportInput, 'summary' | 'status'> & { facts: ReportPartialFacts; history: readonly Record<string, number>[]; status: ReportRunStatus },
): Promise<Error | null> {
  try {
    const last = input.history[input.history.length - 1] ?? {};
    const train: Record<string, number> = {};
    const validation: Record<string, number> = {};
    for (const [key, value] of Object.entries(last)) {
      if (key === 'lr') continue;
      if (key.startsWith('val_')) validation[key.slice(4)] = value;
      else train[key] = value;
    }
    const summary: ReportSummaryFacts = { ...input.facts, train, validation: Object.keys(validation).length > 0 ? validation : null, test: null };
    await writeRunReport(dir, { plan: input.plan, data: input.data, built: input.built, summary, status: input.status });
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}
