import { describe, expect, it } from 'vitest';
import { reportDecimate, reportParseMetricsLog } from '../../../src/runtime/report/metrics-log.js';

describe('reportParseMetricsLog', () => {
  it('reads steps and epochs, dropping time_s and turning null into NaN', () => {
    const log = reportParseMetricsLog(
      [
        '{"type":"step","epoch":1,"step":1,"loss":0.5,"lr":0.1}',
        '{"type":"step","epoch":1,"step":2,"loss":null,"lr":0.1}',
        '{"type":"epoch","epoch":1,"loss":0.4,"accuracy":0.8,"val_loss":0.45,"lr":0.1,"time_s":0.3}',
        '{"type":"step","epoch":2,"st', // cut short by a crash
        '',
      ].join('\n'),
    );
    expect(log.steps).toEqual([
      { epoch: 1, step: 1, loss: 0.5, lr: 0.1 },
      { epoch: 1, step: 2, loss: NaN, lr: 0.1 },
    ]);
    expect(log.epochs).toEqual([{ epoch: 1, metrics: { loss: 0.4, accuracy: 0.8, val_loss: 0.45, lr: 0.1 } }]);
  });
});

describe('reportDecimate', () => {
  it('returns short series unchanged', () => {
    const points = [[1, 1], [2, 4]] as const;
    expect(reportDecimate(points, 10)).toEqual(points);
  });

  it('keeps at most the limit, in x order, with the extremes and both ends', () => {
    // A noisy series with one spike up and one spike down.
    const points = Array.from({ length: 5000 }, (_, i) => [i, Math.sin(i / 7)] as [number, number]);
    points[1234]![1] = 9;
    points[3210]![1] = -9;
    const kept = reportDecimate(points, 301);
    expect(kept.length).toBeLessThanOrEqual(301);
    expect(kept.length).toBeGreaterThan(200);
    expect(kept.map(([x]) => x)).toEqual([...kept.map(([x]) => x)].sort((a, b) => a - b));
    expect(kept).toContainEqual([1234, 9]);
    expect(kept).toContainEqual([3210, -9]);
    expect(kept[0]).toEqual([0, 0]);
    expect(kept[kept.length - 1]).toEqual(points[4999]);
  });
});
