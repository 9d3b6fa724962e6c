import { describe, expect, it } from 'vitest';
import { applyNormalization, fitNormalization } from '../../../src/runtime/data/normalize.js';

const rows = [
  [1, 10, 5],
  [2, 20, 5],
  [3, 60, 5],
];

describe('fitNormalization', () => {
  it('zscore: mean and population standard deviation per column', () => {
    const n = fitNormalization('zscore', rows, 3);
    expect(n.kind).toBe('zscore');
    expect(n.shift).toEqual([2, 30, 5]);
    expect(n.scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
    expect(n.scale[1]).toBeCloseTo(Math.sqrt((400 + 100 + 900) / 3), 12);
    expect(n.scale[2]).toBe(1);
  });

  it('minmax: minimum and range per column', () => {
    expect(fitNormalization('minmax', rows, 3)).toEqual({ kind: 'minmax', shift: [1, 10, 5], scale: [2, 50, 1] });
  });

  it('none: shift 0 and scale 1', () => {
    expect(fitNormalization('none', rows, 3)).toEqual({ kind: 'none', shift: [0, 0, 0], scale: [1, 1, 1] });
  });

  it('a constant column whose computed mean is off by rounding still gets scale 1 and its exact value', () => {
    const constant = [[0.1], [0.1], [0.1]];
    expect((0.1 + 0.1 + 0.1) / 3).not.toBe(0.1); // the rounding trap
    expect(fitNormalization('zscore', constant, 1)).toEqual({ kind: 'zscore', shift: [0.1], scale: [1] });
    expect(applyNormalization(constant, fitNormalization('zscore', constant, 1))).toEqual([[0], [0], [0]]);
  });
});

describe('applyNormalization', () => {
  it('computes (x - shift) / scale', () => {
    expect(applyNormalization([[4, 35]], { kind: 'minmax', shift: [1, 10], scale: [2, 50] })).toEqual([[1.5, 0.5]]);
  });

  it('copies rows unchanged for none', () => {
    const input = [[4, 35]];
    const output = applyNormalization(input, { kind: 'none', shift: [0, 0], scale: [1, 1] });
    expect(output).toEqual(input);
    expect(output[0]).not.toBe(input[0]);
  });
});
