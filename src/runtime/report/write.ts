/**
 * Writes a run's report.html, once training and the final evaluation are done (program.ts calls
 * writeRunReport right after summary.json). It reads metrics.jsonl for the curves, the built
 * model for the summary, and predicts the test split (else validation, else train) for the
 * confusion matrix of a classifier.
 */
import * as path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import type { ModelGraph, PreparedData, Split } from '../contracts.js';
import type { BuiltModel } from '../model.js';
import type { TrainingPlan } from '../plan.js';
import { writeFileAtomic } from '../atomic-write.js';
import { predictSplit } from '../train.js';
import { reportClassPredictions, reportConfusionMatrix } from './confusion.js';
import { reportRenderHtml, type ReportConfusion, type ReportSummaryFacts } from './html.js';
import { reportReadMetricsLog } from './metrics-log.js';
import { reportModelTable } from './model-table.js';

export const REPORT_FILE = 'report.html';

/** Confusion matrices with more classes than this are left out (they would not be readable). */
const REPORT_MAX_CONFUSION_CLASSES = 50;

const REPORT_CLASSIFICATION_LOSSES = new Set(['binary_cross_entropy', 'categorical_cross_entropy', 'sparse_categorical_cross_entropy']);

export interface RunReportInput {
  plan: Pick<TrainingPlan, 'loss' | 'graph' | 'specSource'>;
  summary: ReportSummaryFacts;
  data: Pick<PreparedData, 'train' | 'validation' | 'test' | 'labels'>;
  built: BuiltModel;
}

/**
 * The decision threshold of a single binary output: 0.5 when the output node ends in a sigmoid
 * (a probability), else 0 (a logit, as for `binary_cross_entropy(from_logits: true)`).
 */
function reportBinaryThreshold(graph: ModelGraph): number {
  const output = graph.nodes.find((node) => node.name === graph.outputs[0]);
  const activation = output?.config['activation'] ?? output?.config['fn'];
  return activation === 'sigmoid' || activation === 'softmax' ? 0.5 : 0;
}

function reportHasRows(split: Split | null): split is Split {
  return split !== null && split.x.shape[0]! > 0;
}

/** The confusion matrix of a classifier on its test split (else validation, else train); null for regression. */
export async function reportConfusionOf(input: RunReportInput): Promise<ReportConfusion | null> {
  if (!REPORT_CLASSIFICATION_LOSSES.has(input.plan.loss.name)) return null;
  const { data } = input;
  const [split, name] = reportHasRows(data.test)
    ? [data.test, 'test']
    : reportHasRows(data.validation)
      ? [data.validation, 'validation']
      : [data.train, 'train'];
  const output: tf.Tensor = predictSplit(input.built, split.x);
  try {
    const threshold = reportBinaryThreshold(input.plan.graph);
    const { truth, predicted, classes } = await reportClassPredictions(split.y, output, threshold);
    if (classes > REPORT_MAX_CONFUSION_CLASSES) return null;
    const classNames = Array.from({ length: classes }, (_, i) => data.labels?.[i] ?? String(i));
    return { split: name, classNames, counts: reportConfusionMatrix(truth, predicted, classes) };
  } finally {
    output.dispose();
  }
}

/** Renders and writes dir/report.html (atomically). */
export async function writeRunReport(dir: string, input: RunReportInput): Promise<void> {
  const confusion = await reportConfusionOf(input);
  const html = reportRenderHtml({
    summary: input.summary,
    log: reportReadMetricsLog(path.join(dir, 'metrics.jsonl')),
    model: reportModelTable(input.built.model, input.plan.graph),
    confusion,
    specSource: input.plan.specSource,
  });
  writeFileAtomic(path.join(dir, REPORT_FILE), html);
}
