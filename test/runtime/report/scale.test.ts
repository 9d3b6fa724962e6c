import { describe, expect, it } from 'vitest';
import {
  reportAxisPosition,
  reportLinearAxis,
  reportLogAxis,
  reportNiceStep,
  reportPrefersLog,
  reportTickLabel,
} from '../../../src/runtime/report/scale.js';

describe('reportNiceStep', () => {
  it('rounds span / target up to 1, 2 or 5 times a power of ten', () => {
    expect(reportNiceStep(1, 5)).toBeCloseTo(0.2, 12); // 0.2 exactly
    expect(reportNiceStep(1050, 6)).toBe(200); // 175 -> 200
    expect(reportNiceStep(7, 5)).toBe(2); // 1.4 -> 2
    expect(reportNiceStep(30, 10)).toBe(5); // 3 -> 5
    expect(reportNiceStep(80, 10)).toBe(10); // 8 -> 10
    expect(reportNiceStep(0.0006, 6)).toBeCloseTo(0.0001, 15); // 1e-4 exactly
  });
});

describe('reportLinearAxis', () => {
  it('widens to whole steps with ticks at every step', () => {
    const axis = reportLinearAxis(0.03, 0.81); // span 0.78 / 5 = 0.156 -> step 0.2
    expect(axis.step).toBeCloseTo(0.2, 12);
    expect(axis.min).toBe(0);
    expect(axis.max).toBeCloseTo(1, 12);
    expect(axis.ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('keeps a tight axis at the data with the ticks inside it, and one at its start', () => {
    const axis = reportLinearAxis(1, 1050, { target: 6, integer: true, tight: true });
    expect([axis.min, axis.max]).toEqual([1, 1050]);
    expect(axis.ticks).toEqual([1, 200, 400, 600, 800, 1000]);
    // The start is not labelled when it is within half a step of the first tick: 180 is 20 from 200.
    expect(reportLinearAxis(180, 1050, { target: 6, integer: true, tight: true }).ticks).toEqual([200, 400, 600, 800, 1000]);
  });

  it('uses whole-number steps for integer axes', () => {
    // span 2 / 6 = 0.33 -> 0.5, raised to 1
    expect(reportLinearAxis(1, 3, { target: 6, integer: true, tight: true }).ticks).toEqual([1, 2, 3]);
  });

  it('widens a single value into an interval around it', () => {
    const axis = reportLinearAxis(5, 5);
    expect(axis.min).toBeLessThan(5);
    expect(axis.max).toBeGreaterThan(5);
    expect(axis.ticks).toContain(5);
  });

  it('handles negative ranges', () => {
    expect(reportLinearAxis(-3, 7, { target: 5 }).ticks).toEqual([-4, -2, 0, 2, 4, 6, 8]);
  });
});

describe('reportLogAxis', () => {
  it('puts ticks at powers of ten over many decades', () => {
    const axis = reportLogAxis(0.003, 2.5);
    expect(axis.log).toBe(true);
    expect([axis.min, axis.max]).toEqual([0.001, 10]);
    expect(axis.ticks).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });

  it('adds 2 and 5 times each power when there are fewer than three decades', () => {
    expect(reportLogAxis(0.05, 0.8).ticks).toEqual([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
  });
});

describe('reportAxisPosition', () => {
  it('maps linearly and logarithmically between the pixel ends', () => {
    const linear = reportLinearAxis(0, 10, { tight: true });
    expect(reportAxisPosition(linear, 2.5, 100, 300)).toBe(150);
    const log = reportLogAxis(0.01, 100); // [1e-2, 1e2]: 4 decades
    expect(reportAxisPosition(log, 1, 0, 400)).toBeCloseTo(200, 9);
    expect(reportAxisPosition(log, 0.1, 0, 400)).toBeCloseTo(100, 9);
  });
});

describe('reportTickLabel', () => {
  it('shows as many decimals as the step needs', () => {
    expect(reportTickLabel(0.2, { log: false, step: 0.2 })).toBe('0.2');
    expect(reportTickLabel(1, { log: false, step: 0.2 })).toBe('1.0');
    expect(reportTickLabel(0.05, { log: false, step: 0.01 })).toBe('0.05');
    expect(reportTickLabel(200, { log: false, step: 200 })).toBe('200');
    expect(reportTickLabel(0, { log: false, step: 0.2 })).toBe('0');
  });

  it('uses exponents for very small and very large values', () => {
    expect(reportTickLabel(0.0001, { log: true, step: 0 })).toBe('1e-4');
    expect(reportTickLabel(250000, { log: false, step: 50000 })).toBe('2.5e5');
    expect(reportTickLabel(-0.0002, { log: false, step: 0.0001 })).toBe('-2e-4');
  });
});

describe('reportPrefersLog', () => {
  it('is true for positive values spanning a factor of 100 or more', () => {
    expect(reportPrefersLog([2.3, 0.5, 0.01])).toBe(true);
    expect(reportPrefersLog([1.1, 0.05])).toBe(false); // a factor of 22
    expect(reportPrefersLog([1, 0, 0.001])).toBe(false); // zero cannot be drawn on a log axis
    expect(reportPrefersLog([100, NaN, 1])).toBe(true);
  });
});

describe('degenerate intervals', () => {
  it('an interval one float wide is drawn as a point, with a handful of ticks (not 10^16)', () => {
    const axis = reportLinearAxis(0.01, 0.010000000000000002);
    expect(axis.ticks.length).toBeGreaterThan(1);
    expect(axis.ticks.length).toBeLessThan(20);
    expect(axis.min).toBeLessThan(0.01);
    expect(axis.max).toBeGreaterThan(0.010000000000000002);
  });

  it('a log axis down to the smallest subnormal stays finite', () => {
    for (const [min, max] of [
      [5e-324, 5e-324],
      [5e-324, 1],
    ] as const) {
      const axis = reportLogAxis(min, max);
      expect(Number.isFinite(Math.log10(axis.min))).toBe(true);
      expect(axis.ticks.length).toBeLessThan(2000);
      expect(axis.ticks.every(Number.isFinite)).toBe(true);
    }
  });
});
