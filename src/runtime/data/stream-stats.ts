/**
 * Normalisation and missing-value statistics of streamed data in one pass over the training rows
 * (Welford's algorithm for the mean and variance, plus min and max), giving what fitMissingFill and
 * fitNormalization (normalize.ts) give for rows in memory, up to rounding: per column, the fill of
 * `missing: mean` is the mean of the non-empty cells; filled cells equal that mean, so they leave
 * the mean, min and max unchanged and add nothing to the sum of squares, and the variance is that
 * sum over all training rows. A constant column gets shift = its value and scale = 1.
 */
import type { Normalization } from '../contracts.js';

export class StreamColumnStats {
  readonly count: Float64Array;
  readonly mean: Float64Array;
  readonly m2: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  /** Training rows seen (empty cells included). */
  rows = 0;

  constructor(readonly columns: number) {
    this.count = new Float64Array(columns);
    this.mean = new Float64Array(columns);
    this.m2 = new Float64Array(columns);
    this.min = new Float64Array(columns).fill(Infinity);
    this.max = new Float64Array(columns).fill(-Infinity);
  }

  /** One training row; NaN marks an empty cell (`missing: mean`). */
  add(row: ArrayLike<number>): void {
    this.rows += 1;
    for (let j = 0; j < this.columns; j++) {
      const value = row[j]!;
      if (Number.isNaN(value)) continue;
      const n = ++this.count[j]!;
      const delta = value - this.mean[j]!;
      this.mean[j]! += delta / n;
      this.m2[j]! += delta * (value - this.mean[j]!);
      if (value < this.min[j]!) this.min[j] = value;
      if (value > this.max[j]!) this.max[j] = value;
    }
  }

  /** The `missing: mean` fill of each column, or null for a column without a training value. */
  fill(): (number | null)[] {
    return Array.from(this.mean, (mean, j) => (this.count[j]! > 0 ? mean : null));
  }

  normalization(kind: Normalization['kind']): Normalization {
    const shift = new Array<number>(this.columns).fill(0);
    const scale = new Array<number>(this.columns).fill(1);
    if (kind === 'none' || this.rows === 0) return { kind, shift, scale };
    for (let j = 0; j < this.columns; j++) {
      if (this.count[j] === 0) continue;
      const min = this.min[j]!;
      const max = this.max[j]!;
      if (min === max) {
        shift[j] = min;
      } else if (kind === 'minmax') {
        shift[j] = min;
        scale[j] = max - min;
      } else {
        shift[j] = this.mean[j]!;
        scale[j] = Math.sqrt(this.m2[j]! / this.rows) || 1;
      }
    }
    return { kind, shift, scale };
  }
}
