import { describe, expect, it } from 'vitest';
import { reportClassScores, reportRankingCurves } from '../../../src/runtime/report/curves.js';
import { reportConfusionCell } from '../../../src/runtime/report/html.js';

describe('reportRankingCurves', () => {
  it('a perfect ranking has ROC AUC 1 and average precision 1', () => {
    const curves = reportRankingCurves([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9])!;
    expect(curves.rocAuc).toBeCloseTo(1, 12);
    expect(curves.averagePrecision).toBeCloseTo(1, 12);
    expect(curves.roc[0]).toEqual([0, 0]);
    expect(curves.roc[curves.roc.length - 1]).toEqual([1, 1]);
    expect([curves.positives, curves.negatives]).toEqual([2, 2]);
  });

  it('matches hand-computed values (scikit-learn: roc_auc 0.75, average_precision 0.8333)', () => {
    // y = [0, 0, 1, 1], scores = [0.1, 0.4, 0.35, 0.8]
    const curves = reportRankingCurves([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])!;
    expect(curves.rocAuc).toBeCloseTo(0.75, 12);
    expect(curves.averagePrecision).toBeCloseTo(5 / 6, 12);
    expect(curves.roc).toEqual([[0, 0], [0, 0.5], [0.5, 0.5], [0.5, 1], [1, 1]]);
  });

  it('tied scores move together (a diagonal segment, AUC 0.5 for all ties)', () => {
    const curves = reportRankingCurves([0, 1, 0, 1], [0.5, 0.5, 0.5, 0.5])!;
    expect(curves.roc).toEqual([[0, 0], [1, 1]]);
    expect(curves.rocAuc).toBeCloseTo(0.5, 12);
  });

  it('is null when a class is missing', () => {
    expect(reportRankingCurves([1, 1], [0.2, 0.3])).toBeNull();
    expect(reportRankingCurves([0, 0], [0.2, 0.3])).toBeNull();
  });
});

describe('reportClassScores', () => {
  it('precision, recall and F1 per class from counts[true][predicted]', () => {
    const scores = reportClassScores([
      [8, 2],
      [1, 9],
    ]);
    expect(scores[0]!.precision).toBeCloseTo(8 / 9, 12);
    expect(scores[0]!.recall).toBeCloseTo(0.8, 12);
    expect(scores[1]!.precision).toBeCloseTo(9 / 11, 12);
    expect(scores[1]!.f1).toBeCloseTo((2 * (9 / 11) * 0.9) / (9 / 11 + 0.9), 12);
    expect(scores.map((s) => s.support)).toEqual([10, 10]);
  });

  it('null precision for a class never predicted', () => {
    expect(reportClassScores([[3, 0], [2, 0]])[1]).toEqual({ precision: null, recall: 0, f1: null, support: 2 });
  });
});

describe('reportConfusionCell', () => {
  it('tints any non-zero error visibly, even 1 of 1000, and leaves zeros clear', () => {
    const one = reportConfusionCell(1, 1000, false);
    expect(one.className).toBe('error');
    const alpha = Number(/rgba\(214, 39, 40, ([\d.]+)\)/.exec(one.style)![1]);
    expect(alpha).toBeGreaterThanOrEqual(0.18);
    expect(reportConfusionCell(0, 1000, false)).toMatchObject({ className: 'zero', style: 'background: transparent' });
    expect(reportConfusionCell(990, 1000, true).style).toMatch(/rgba\(31, 119, 180, 0\.7\d+\)/);
  });
});
