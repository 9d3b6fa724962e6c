/**
 * `missing: mean`: empty cells are NaN in the table until the split is known, then filled with
 * the mean of their column over the training rows that have a value.
 */

/** Per column, the mean of the non-NaN values, or null when the column has none. */
export function fitMissingFill(rows: readonly (readonly number[])[], columns: number): (number | null)[] {
  const sums = new Array<number>(columns).fill(0);
  const counts = new Array<number>(columns).fill(0);
  for (const row of rows) {
    for (let j = 0; j < columns; j++) {
      const value = row[j]!;
      if (!Number.isNaN(value)) {
        sums[j] += value;
        counts[j]++;
      }
    }
  }
  return sums.map((sum, j) => (counts[j]! > 0 ? sum / counts[j]! : null));
}

/** Replaces NaN cells by the column's fill value; returns new rows. */
export function applyMissingFill(rows: readonly (readonly number[])[], fill: readonly number[]): number[][] {
  return rows.map((row) => row.map((value, j) => (Number.isNaN(value) ? fill[j]! : value)));
}
