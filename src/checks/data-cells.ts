/** Reading CSV cells the way the runtime does (src/runtime/data/numbers.ts): plain finite decimals only. */

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell's number when it is a plain finite decimal, else null; empty cells are null too. */
export function cellNumber(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** The first non-empty cell that is not a number, with its 1-based data row; empty cells are missing values, not errors here. */
export function firstNonNumber(cells: readonly string[]): { text: string; row: number } | null {
  for (let i = 0; i < cells.length; i++) {
    const text = cells[i]!.trim();
    if (text !== '' && cellNumber(text) === null) return { text: text.length > 40 ? `${text.slice(0, 40)}...` : text, row: i + 1 };
  }
  return null;
}
