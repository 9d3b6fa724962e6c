import { describe, expect, it } from 'vitest';
import { reportRenderHtml, reportSmooth, type ReportContent } from '../../../src/runtime/report/html.js';
import { byClass, byId, byTag, elements, parseHtml, textOf, type DomElement } from './html-dom.js';

const SPEC = 'model {\n  input(shape: [2])\n}\n# </pre><script>alert("spec")</script> & more\n';

function content(overrides: Partial<ReportContent> = {}): ReportContent {
  return {
    summary: {
      spec: 'demo<b>',
      spec_hash: 'a'.repeat(64),
      data_hash: 'b'.repeat(64),
      seed: 7,
      backend: 'cpu',
      epochs_run: 2,
      steps: 4,
      stopped_early: false,
      restored_best_epoch: null,
      wall_time_s: 1.25,
      samples_per_s: 100,
      training_s: 1,
      checkpoints: { count: 0, seconds: 0 },
      train: { loss: 0.5, accuracy: 0.75 },
      validation: { loss: 0.625, accuracy: 0.5 },
      test: null,
    },
    log: {
      steps: [
        { epoch: 1, step: 1, loss: 1.2, lr: 0.1 },
        { epoch: 1, step: 2, loss: 0.9, lr: 0.1 },
        { epoch: 2, step: 3, loss: 0.7, lr: 0.05 },
        { epoch: 2, step: 4, loss: 0.5, lr: 0.05 },
      ],
      epochs: [
        { epoch: 1, metrics: { loss: 1.05, accuracy: 0.5, val_loss: 1.1, val_accuracy: 0.25, lr: 0.1 } },
        { epoch: 2, metrics: { loss: 0.6, accuracy: 0.75, val_loss: 0.625, val_accuracy: 0.5, lr: 0.05 } },
      ],
    },
    model: {
      layers: [
        { name: 'x', kind: 'input', className: 'InputLayer', outputShape: '[2]', params: 0 },
        { name: 'a<b', kind: 'dense', className: 'Dense', outputShape: '[3]', params: 9 },
      ],
      totalParams: 9,
      trainableParams: 9,
    },
    confusion: {
      split: 'validation',
      classNames: ['<script>', 'a&b', '"q"'],
      counts: [
        [2, 1, 0],
        [0, 3, 0],
        [1, 0, 1],
      ],
    },
    specSource: SPEC,
    ...overrides,
  };
}

const rowsOf = (table: DomElement) => byTag(table, 'tr').map((tr) => elements(tr).filter((e) => e.tag === 'td' || e.tag === 'th').map((c) => textOf(c)));

describe('reportRenderHtml', () => {
  const html = reportRenderHtml(content());
  const dom = parseHtml(html);

  it('escapes every name from the spec and the data', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;');
    expect(byTag(dom, 'script')).toEqual([]);
    expect(textOf(byTag(dom, 'h1')[0]!)).toBe('demo<b>');
    expect(byTag(dom, 'b')).toEqual([]);
  });

  it('shows the spec source exactly', () => {
    expect(textOf(byId(dom, 'spec-source')!)).toBe(SPEC);
  });

  it('has the results table with one row per split', () => {
    const table = byClass(dom, 'results')[0]!;
    expect(rowsOf(table)).toEqual([
      ['split', 'loss', 'accuracy'],
      ['train', '0.5000', '0.7500'],
      ['validation', '0.6250', '0.5000'],
    ]);
  });

  it('has the confusion matrix with totals, recall and accuracy', () => {
    const table = byClass(dom, 'confusion')[0]!;
    expect(rowsOf(table)).toEqual([
      ['true \\ predicted', '<script>', 'a&b', '"q"', 'total', 'recall'],
      ['<script>', '2', '1', '0', '3', '66.7%'],
      ['a&b', '0', '3', '0', '3', '100.0%'],
      ['"q"', '1', '0', '1', '2', '50.0%'],
    ]);
    // 6 of 8 on the diagonal.
    expect(textOf(byId(dom, 'confusion')!)).toContain('Accuracy 75.0% (6 of 8)');
  });

  it('has the model table and its totals', () => {
    expect(rowsOf(byClass(dom, 'model')[0]!)).toEqual([
      ['layer', 'kind', 'tfjs class', 'output shape', 'params'],
      ['x', 'input', 'InputLayer', '[2]', '0'],
      ['a<b', 'dense', 'Dense', '[3]', '9'],
    ]);
    expect(textOf(byId(dom, 'model')!)).toContain('Total params: 9');
  });

  it('plots loss (linear and log), each metric and the learning rate', () => {
    expect(byClass(dom, 'loss-epochs')).toHaveLength(2);
    expect(byClass(dom, 'loss-steps')).toHaveLength(2);
    const metrics = byClass(dom, 'metric');
    expect(metrics.map((svg) => textOf(byClass(svg, 'plot-title')[0]!))).toEqual(['accuracy']);
    expect(byClass(metrics[0]!, 'legend-item').map(textOf)).toEqual(['train', 'validation']);
    const lr = byClass(dom, 'learning-rate')[0]!;
    expect(byClass(lr, 'series')).toHaveLength(1);
    // Losses from 1.2 to 0.5 do not span two decades: the linear view is the default.
    expect(byId(dom, 'loss-log')!.attrs.checked).toBeUndefined();
    const wide = parseHtml(
      reportRenderHtml(content({ log: { steps: [{ epoch: 1, step: 1, loss: 2, lr: 0.1 }, { epoch: 1, step: 2, loss: 0.01, lr: 0.1 }], epochs: [] } })),
    );
    expect(byId(wide, 'loss-log')!.attrs.checked).toBe('');
  });

  it('makes no external request: a strict CSP and only in-page links', () => {
    const csp = byTag(dom, 'meta').find((m) => m.attrs['http-equiv'] === 'Content-Security-Policy');
    expect(csp?.attrs.content).toContain("default-src 'none'");
    for (const element of elements(dom)) {
      for (const name of ['src', 'href', 'xlink:href', 'action']) {
        if (element.attrs[name] !== undefined) expect(element.attrs[name]).toMatch(/^#/);
      }
    }
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('leaves out the confusion matrix for regression', () => {
    const regression = parseHtml(reportRenderHtml(content({ confusion: null })));
    expect(byId(regression, 'confusion')).toBeUndefined();
    expect(byId(regression, 'loss')).toBeDefined();
  });
});

describe('reportSmooth', () => {
  it('is a debiased exponential moving average that passes over non-finite values', () => {
    const smoothed = reportSmooth([[1, 2], [2, 4], [3, NaN], [4, 4]], 0.5);
    expect(smoothed[0]).toEqual([1, 2]);
    // (0.5 * 0.5 * 2 + 0.5 * 4) / (1 - 0.25) = 3.333...
    expect(smoothed[1]![1]).toBeCloseTo(10 / 3, 12);
    expect(Number.isNaN(smoothed[2]![1])).toBe(true);
    expect(smoothed[3]![1]).toBeCloseTo((0.5 * 0.75 * (10 / 3) + 0.5 * 4) / (1 - 0.125), 12);
  });
});

describe('reportRenderHtml: best epoch, status, per-class scores, binary and regression sections', () => {
  const base = content();
  const restored = { ...base, summary: { ...base.summary, restored_best_epoch: 1, stopped_early: true } };

  it('names the restored epoch in the header and marks it on the epoch and step curves', () => {
    const dom = parseHtml(reportRenderHtml(restored));
    expect(textOf(byId(dom, 'best-epoch')!)).toBe('best epoch 1 of 2 (its weights restored)');
    const markers = byClass(dom, 'best-marker');
    // linear and log loss views (epochs, steps), accuracy, learning rate
    expect(markers.map((m) => m.attrs['data-x'])).toEqual(['1', '2', '1', '2', '1', '2']);
    expect(byClass(parseHtml(reportRenderHtml(base)), 'best-marker')).toEqual([]);
  });

  it("names and marks the stop rule's best epoch when its weights were not restored", () => {
    const dom = parseHtml(reportRenderHtml({ ...base, best: { epoch: 2, restored: false } }));
    expect(textOf(byId(dom, 'best-epoch')!)).toBe("best epoch 2 of 2 (by the stop rule; the weights are the last epoch's)");
    expect(byClass(dom, 'best-label').map(textOf)).toContain('best epoch 2');
  });

  it('marks an unfinished run in the header, with the sentence it ended with, escaped', () => {
    const dom = parseHtml(reportRenderHtml({ ...base, status: { kind: 'interrupted', message: 'Interrupted at <epoch> 3.' } }));
    expect(textOf(byId(dom, 'run-status')!)).toBe('interrupted');
    expect(textOf(byClass(dom, 'status')[0]!)).toBe('This run was interrupted (Ctrl-C) before it finished. Interrupted at <epoch> 3.');
    expect(textOf(byClass(dom, 'facts')[0]!)).toContain('interrupted after 2 finished epochs, 4 steps');
  });

  it('per-class precision, recall, F1 and support under the confusion matrix', () => {
    const rows = rowsOf(byClass(parseHtml(reportRenderHtml(base)), 'class-scores')[0]!);
    expect(rows[0]).toEqual(['class', 'precision', 'recall', 'F1', 'support']);
    // counts [[2,1,0],[0,3,0],[1,0,1]]: class 0 precision 2/3, recall 2/3.
    expect(rows[1]).toEqual(['<script>', '66.7%', '66.7%', '66.7%', '3']);
    expect(rows[2]).toEqual(['a&b', '75.0%', '100.0%', '85.7%', '3']);
    expect(rows[4]![0]).toBe('macro average');
  });

  it('binary: names the positive class and draws ROC and precision-recall with their areas', () => {
    const html = reportRenderHtml({
      ...base,
      positiveClass: 'M<',
      binary: { split: 'test', positive: 'M<', negative: 'B', roc: [[0, 0], [0, 1], [1, 1]], rocAuc: 1, pr: [[1, 1]], averagePrecision: 1, positives: 2, negatives: 3 },
    });
    const dom = parseHtml(html);
    expect(textOf(byId(dom, 'positive-class')!)).toBe('M<');
    expect(textOf(byId(dom, 'roc-auc')!)).toBe('ROC AUC 1.0000');
    expect(byClass(dom, 'roc')).toHaveLength(1);
    expect(byClass(dom, 'precision-recall')).toHaveLength(1);
  });

  it('regression: predicted-vs-actual and residual scatter plots', () => {
    const dom = parseHtml(reportRenderHtml({ ...base, confusion: null, regression: { split: 'test', actual: [1, 2, 3], predicted: [1.5, 2, 2], total: 3 } }));
    const scatter = byClass(byClass(dom, 'predicted-actual')[0]!, 'scatter')[0]!;
    expect(byTag(scatter, 'circle')).toHaveLength(3);
    expect(byTag(byClass(byClass(dom, 'residuals')[0]!, 'scatter')[0]!, 'circle')).toHaveLength(3);
    expect(textOf(byId(dom, 'regression')!)).toContain('mean absolute error 0.5000');
  });
});
