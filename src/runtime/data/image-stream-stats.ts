/**
 * Normalisation statistics of streamed images, computed over the training images one at a time
 * (nothing kept) and giving the same bits as fitNormalization (normalize.ts) over the same rows in
 * memory: per column, the same float64 sum, min and max in the same row order, and for zscore a
 * second pass adding (value - mean)^2 in that order again. Welford's one-pass update (stream-stats.ts,
 * for streamed CSV) would round differently; images can be visited twice, so they are.
 */
import type { Normalization } from '../contracts.js';

/** `rows()` visits the training rows in the order fitNormalization sees them (the split's), each time it is called. */
export function fitNormalizationStreamed(kind: Normalization['kind'], columns: number, rows: () => Iterable<ArrayLike<number>>): Normalization {
  const shift = new Array<number>(columns).fill(0);
  const scale = new Array<number>(columns).fill(1);
  if (kind === 'none') return { kind, shift, scale };
  const min = new Float64Array(columns).fill(Infinity);
  const max = new Float64Array(columns).fill(-Infinity);
  const sum = new Float64Array(columns);
  let count = 0;
  for (const row of rows()) {
    count += 1;
    for (let j = 0; j < columns; j++) {
      const value = row[j]!;
      if (value < min[j]!) min[j] = value;
      if (value > max[j]!) max[j] = value;
      sum[j] += value;
    }
  }
  if (count === 0) return { kind, shift, scale };
  const varies: boolean[] = Array.from(min, (low, j) => low !== max[j]);
  for (let j = 0; j < columns; j++) {
    if (!varies[j]) shift[j] = min[j]!;
    else if (kind === 'minmax') {
      shift[j] = min[j]!;
      scale[j] = max[j]! - min[j]!;
    } else shift[j] = sum[j]! / count;
  }
  if (kind === 'minmax') return { kind, shift, scale };
  const squares = new Float64Array(columns);
  for (const row of rows()) for (let j = 0; j < columns; j++) squares[j] += (row[j]! - shift[j]!) ** 2;
  for (let j = 0; j < columns; j++) if (varies[j]) scale[j] = Math.sqrt(squares[j]! / count) || 1;
  return { kind, shift, scale };
}
