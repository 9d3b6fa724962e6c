import { describe, expect, it } from 'vitest';
import { REPORT_PLOT_MARGIN, reportLinePlot } from '../../../src/runtime/report/svg-plot.js';
import { byClass, byTag, parseHtml, textOf } from './html-dom.js';

const m = REPORT_PLOT_MARGIN;

function plot(svg: string) {
  const root = parseHtml(svg);
  return {
    root,
    svg: byTag(root, 'svg')[0]!,
    paths: byClass(root, 'series').map((p) => p.attrs.d!),
    xLabels: byClass(byClass(root, 'x-axis')[0]!, 'tick-label').map(textOf),
    yLabels: byClass(byClass(root, 'y-axis')[0]!, 'tick-label').map(textOf),
  };
}

describe('reportLinePlot', () => {
  it('maps the data range onto the plot area', () => {
    const { paths, svg } = plot(
      reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'y', width: 400, height: 200, integerX: true, series: [{ name: 's', points: [[1, 0], [3, 1]] }] }),
    );
    // x axis: exactly [1, 3]; y axis: [0, 1] (already whole steps of 0.2).
    const left = m.left;
    const right = 400 - m.right;
    const top = m.top;
    const bottom = 200 - m.bottom;
    expect(paths).toEqual([`M${left},${bottom} L${right},${top}`]);
    expect(svg.attrs.viewbox ?? svg.attrs.viewBox).toBe('0 0 400 200');
    // A point halfway along both axes lands in the middle of the plot area.
    const mid = plot(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'y', width: 400, height: 200, series: [{ name: 's', points: [[0, 0], [5, 0.5], [10, 1]] }] }));
    expect(mid.paths[0]).toContain(`L${(left + right) / 2},${(top + bottom) / 2}`);
  });

  it('labels the ticks of both axes and the axes themselves', () => {
    const svg = reportLinePlot({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', integerX: true, series: [{ name: 'train', points: [[1, 0.81], [2, 0.4], [3, 0.03]] }] });
    const { root, xLabels, yLabels } = plot(svg);
    expect(xLabels).toEqual(['1', '2', '3']);
    expect(yLabels).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1.0']);
    expect(byClass(root, 'x-label').map(textOf)).toEqual(['epoch']);
    expect(byClass(root, 'y-label').map(textOf)).toEqual(['loss']);
    expect(byClass(root, 'plot-title').map(textOf)).toEqual(['Loss']);
  });

  it('draws a legend entry and a path per series', () => {
    const { root, paths } = plot(
      reportLinePlot({
        title: 't',
        xLabel: 'x',
        yLabel: 'y',
        series: [
          { name: 'train', points: [[1, 1], [2, 2]] },
          { name: 'validation', points: [[1, 2], [2, 3]], dashed: true },
        ],
      }),
    );
    expect(paths).toHaveLength(2);
    expect(byClass(root, 'legend-item').map(textOf)).toEqual(['train', 'validation']);
    expect(byClass(root, 'series')[1]!.attrs['stroke-dasharray']).toBe('5 3');
  });

  it('breaks the line at non-finite values', () => {
    const { paths } = plot(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, 1], [2, 2], [3, NaN], [4, 3], [5, Infinity], [6, 2]] }] }));
    expect(paths[0]!.match(/M/g)).toHaveLength(3);
    expect(paths[0]!.match(/L/g)).toHaveLength(1);
  });

  it('uses a log axis when asked and every value is positive', () => {
    const series = [{ name: 'loss', points: [[1, 2], [2, 0.2], [3, 0.002]] as const }];
    const log = plot(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'loss', logY: true, series }));
    expect(log.yLabels).toEqual(['0.001', '0.01', '0.1', '1', '10']);
    expect(byClass(log.root, 'y-label').map(textOf)).toEqual(['loss (log scale)']);
    // Equal ratios are equal distances: 2 -> 0.2 -> 0.002 drops one, then two decades.
    const ys = log.paths[0]!.split(' ').map((part) => Number(part.split(',')[1]));
    expect(ys[2]! - ys[1]!).toBeCloseTo(2 * (ys[1]! - ys[0]!), 1);
    const withZero = plot(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'loss', logY: true, series: [{ name: 'l', points: [[1, 0], [2, 1]] }] }));
    expect(byClass(withZero.root, 'y-label').map(textOf)).toEqual(['loss']);
  });

  it('says "no data" when there is nothing to draw', () => {
    const root = parseHtml(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 's', points: [[1, NaN]] }] }));
    expect(byClass(root, 'series')).toEqual([]);
    expect(byClass(root, 'no-data').map(textOf)).toEqual(['no data']);
  });

  it('escapes every name it writes', () => {
    const svg = reportLinePlot({
      title: '<script>alert(1)</script>',
      xLabel: 'a & b',
      yLabel: '"y"',
      series: [{ name: '<script>', points: [[1, 1], [2, 2]], color: '"><script>' }],
    });
    expect(svg).not.toContain('<script');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(svg).toContain('a &amp; b');
    const root = parseHtml(svg);
    expect(byTag(root, 'script')).toEqual([]);
    expect(byClass(root, 'legend-item').map(textOf)).toEqual(['<script>']);
    expect(byClass(root, 'plot-title').map(textOf)).toEqual(['<script>alert(1)</script>']);
  });

  it('adds the SVG namespace for a standalone file', () => {
    expect(reportLinePlot({ title: 't', xLabel: 'x', yLabel: 'y', series: [], standalone: true })).toContain('xmlns="http://www.w3.org/2000/svg"');
  });
});

describe('reportLinePlot: marker, responsive size, scatter', () => {
  const base = { title: 't', xLabel: 'x', yLabel: 'y', width: 400, height: 200, integerX: true, series: [{ name: 's', points: [[1, 0], [11, 1]] as [number, number][] }] };
  it('draws the marker at the mapped x, labelled, and leaves it out outside the axis', () => {
    const svg = reportLinePlot({ ...base, marker: { x: 6, label: 'best epoch 6' } });
    // x axis [1, 11] over [70, 384]: 6 maps to 70 + 0.5 * 314 = 227.
    expect(svg).toMatch(/<g class="best-marker" data-x="6"><line class="best-line" x1="227" y1="40" x2="227" y2="154"/);
    expect(svg).toContain('>best epoch 6</text>');
    expect(reportLinePlot({ ...base, marker: { x: 20, label: 'out' } })).not.toContain('best-marker');
  });
  it('responsive: width 100% with the viewBox, no height', () => {
    const svg = reportLinePlot({ ...base, responsive: true });
    expect(svg).toContain('width="100%"');
    expect(svg).toContain('viewBox="0 0 400 200"');
    expect(svg).not.toContain('height="200"');
  });
  it('a scatter series draws dots only', () => {
    const svg = reportLinePlot({ ...base, series: [{ name: 'pts', points: [[0, 0], [1, 1], [2, 4]], scatter: true }] });
    expect(svg).toMatch(/<g class="scatter" data-series="pts"[^>]*><title>pts<\/title>(<circle [^>]+\/>){3}<\/g>/);
    expect(svg).not.toContain('class="series"');
  });
});
