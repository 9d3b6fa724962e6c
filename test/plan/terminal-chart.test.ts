import { describe, expect, it } from 'vitest';
import { CHART_JOIN, CHART_POINT, chartColumns, terminalChart } from '../../src/plan/terminal-chart.js';

/** The plot area of a chart: the rows above the x axis, without the labels and the axis column. */
function plotArea(chart: string): string[] {
  const lines = chart.split('\n');
  const axis = lines.findIndex((line) => line.includes('└'));
  const start = lines[axis]!.indexOf('└') + 1;
  const width = lines[axis]!.length - start;
  return lines.slice(0, axis).map((line) => line.slice(start).padEnd(width));
}

describe('terminalChart', () => {
  it('draws a falling line: column c at row round((1 - c / 59) * 11) from the bottom', () => {
    const points = Array.from({ length: 60 }, (_, c) => [c, 1 - c / 59] as const);
    const area = plotArea(terminalChart(points, { width: 60, height: 12 }));
    expect(area).toHaveLength(12);
    for (let c = 0; c < 60; c++) {
      const row = Math.round((1 - c / 59) * 11);
      expect(area[11 - row]![c], `column ${c}`).toBe(CHART_POINT);
    }
    // One bullet per column: nothing else is drawn.
    expect(area.join('').split(CHART_POINT)).toHaveLength(61);
  });

  it('puts a flat series on the middle row with one label', () => {
    const chart = terminalChart([[1, 0.003], [2, 0.003], [3, 0.003]], { width: 10, height: 5 });
    const lines = chart.split('\n');
    expect(lines[2]).toMatch(/^0\.003 ┤•/);
    expect(lines.filter((line) => line.includes('┤'))).toHaveLength(1);
  });

  it('joins a drop with a vertical bar and labels top, middle and bottom', () => {
    // 1 for x in [0, 4], then 0 for x in [5, 9]: a drop between columns 4 and 5.
    const points = Array.from({ length: 10 }, (_, x) => [x, x < 5 ? 1 : 0] as const);
    const chart = terminalChart(points, { width: 10, height: 5 });
    const area = plotArea(chart);
    // Column 5 drops from the top row to the bottom one: bars on the rows in between.
    expect(area.map((row) => row[5])).toEqual([' ', CHART_JOIN, CHART_JOIN, CHART_JOIN, CHART_POINT]);
    expect(area[0]!.slice(0, 5)).toBe(CHART_POINT.repeat(5));
    const labels = chart.split('\n').filter((line) => line.includes('┤')).map((line) => line.split('┤')[0]!.trim());
    expect(labels).toEqual(['1', '0.5', '0']);
    expect(chart.split('\n').at(-1)!.trim()).toMatch(/^0 +9$/);
  });

  it('groups many points per column into their range', () => {
    const { columns } = chartColumns(
      [
        [0, 0],
        [0, 10],
        [1, 5],
      ],
      2,
      11,
    );
    expect(columns).toEqual([
      { low: 0, high: 10 },
      { low: 5, high: 5 },
    ]);
  });
});
