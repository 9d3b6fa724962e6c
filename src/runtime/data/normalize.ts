/**
 * Feature normalisation, fitted on the training rows only and applied to every split.
 * zscore: shift = mean, scale = population standard deviation; minmax: shift = min,
 * scale = max - min; none: shift 0, scale 1. A constant column gets shift = its value and
 * scale = 1 (a computed std of a constant column can be a rounding residue like 1e-17, not 0).
 * Applied as x' = (x - shift) / scale.
 */
import type { Normalization } from '../contracts.js';

export function fitNormalization(kind: Normalization['kind'], rows: readonly (readonly number[])[], columns: number): Normalization {
  const shift = new Array<number>(columns).fill(0);
  const scale = new Array<number>(columns).fill(1);
  if (kind === 'none' || rows.length === 0) return { kind, shift, scale };
  for (let j = 0; j < columns; j++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const row of rows) {
      const value = row[j]!;
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
    }
    if (min === max) {
      shift[j] = min;
      continue;
    }
    if (kind === 'minmax') {
      shift[j] = min;
      scale[j] = max - min;
      continue;
    }
    const mean = sum / rows.length;
    let squares = 0;
    for (const row of rows) squares += (row[j]! - mean) ** 2;
    shift[j] = mean;
    scale[j] = Math.sqrt(squares / rows.length) || 1;
  }
  return { kind, shift, scale };
}

/** (x - shift) / scale per column; returns new rows. */
export function applyNormalization(features: readonly (readonly number[])[], normalization: Normalization): number[][] {
  const { shift, scale } = normalization;
  if (normalization.kind === 'none') return features.map((row) => [...row]);
  return features.map((row) => row.map((value, j) => (value - shift[j]!) / scale[j]!));
}
