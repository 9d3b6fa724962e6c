/** Integer-token CSV columns (token ids for an embedding): every cell an integer in a range. */
import { cellNumber } from './data-cells.js';

/**
 * CSV features are read into float32 (src/runtime/data/csv-table.ts) before the model casts token
 * ids to int32, so ids are exact only up to 2^24 in magnitude.
 */
export const TOKEN_ID_MAX = 2 ** 24;

export interface CellProblem {
  column: string;
  /** 1-based data row. */
  row: number;
  text: string;
  kind: 'not-integer' | 'out-of-range';
}

/**
 * The first cell (column by column, then row by row) that is not an integer in [min, max];
 * empty cells count as not integers (a token id cannot be missing). Null when all fit.
 */
export function firstBadInteger(names: readonly string[], columns: readonly (readonly string[])[], min: number, max: number): CellProblem | null {
  let best: CellProblem | null = null;
  columns.forEach((cells, c) => {
    for (let r = 0; r < cells.length && (best === null || r + 1 < best.row); r++) {
      const text = cells[r]!.trim();
      const value = cellNumber(text);
      const kind = value === null || !Number.isInteger(value) ? 'not-integer' : value < min || value > max ? 'out-of-range' : null;
      if (kind) {
        best = { column: names[c]!, row: r + 1, text: text === '' ? '(empty)' : text.length > 40 ? `${text.slice(0, 40)}...` : text, kind };
        break;
      }
    }
  });
  return best;
}
