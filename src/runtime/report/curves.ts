/**
 * ROC and precision-recall curves of a binary classifier from its scores (probabilities or
 * logits alike: both curves only depend on the order of the scores), with the area under the ROC
 * curve (trapezoids) and the average precision (the area under the step-wise precision-recall curve).
 */
import type { ReportPoint } from './svg-plot.js';

export interface ReportRankingCurves {
  /** [false positive rate, true positive rate], from (0, 0) to (1, 1). */
  roc: ReportPoint[];
  rocAuc: number;
  /** [recall, precision], one point per distinct score threshold, highest threshold first. */
  pr: ReportPoint[];
  averagePrecision: number;
  positives: number;
  negatives: number;
}

/** The curves of scores against 0/1 truths; null when either class is missing (no curve is defined). */
export function reportRankingCurves(truth: readonly number[], scores: readonly number[]): ReportRankingCurves | null {
  const n = Math.min(truth.length, scores.length);
  const order = Array.from({ length: n }, (_, i) => i)
    .filter((i) => Number.isFinite(scores[i]!))
    .sort((a, b) => scores[b]! - scores[a]!);
  const positives = order.reduce((sum, i) => sum + (truth[i] === 1 ? 1 : 0), 0);
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const roc: ReportPoint[] = [[0, 0]];
  const pr: ReportPoint[] = [];
  let tp = 0;
  let fp = 0;
  let rocAuc = 0;
  let averagePrecision = 0;
  for (let k = 0; k < order.length; ) {
    // All samples of one score move the threshold together (ties give a diagonal ROC segment).
    const score = scores[order[k]!]!;
    const [tp0, fp0] = [tp, fp];
    while (k < order.length && scores[order[k]!] === score) {
      if (truth[order[k]!] === 1) tp += 1;
      else fp += 1;
      k += 1;
    }
    rocAuc += ((fp - fp0) / negatives) * ((tp + tp0) / 2 / positives);
    const recall = tp / positives;
    const precision = tp / (tp + fp);
    averagePrecision += (recall - tp0 / positives) * precision;
    roc.push([fp / negatives, recall]);
    pr.push([recall, precision]);
  }
  return { roc, rocAuc, pr, averagePrecision, positives, negatives };
}

/** Per-class precision, recall, F1 and support from a confusion matrix (counts[true][predicted]). */
export interface ReportClassScores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  support: number;
}

export function reportClassScores(counts: readonly (readonly number[])[]): ReportClassScores[] {
  return counts.map((row, c) => {
    const hit = row[c] ?? 0;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = counts.reduce((sum, r) => sum + (r[c] ?? 0), 0);
    const precision = predicted === 0 ? null : hit / predicted;
    const recall = support === 0 ? null : hit / support;
    const f1 = precision === null || recall === null ? null : precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { precision, recall, f1, support };
  });
}
