/**
 * Strict parsing of numeric cells. Number() alone accepts '', ' ', '0x10', 'Infinity' and more;
 * a data file should hold plain decimal numbers only.
 */

const DATA_DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATA_NON_FINITE_PATTERN = /^[+-]?(?:nan|inf|infinity)$/i;

export type DataCellValue =
  | { kind: 'number'; value: number }
  | { kind: 'missing' }
  /** NaN or Infinity literals, and decimals too large for a double (1e999). */
  | { kind: 'non-finite' }
  | { kind: 'invalid' };

/** The cell's value when it is a plain finite decimal number, else NaN (then parseDataNumber says why). Allocation-free, for the common case. */
export function dataNumberOrNaN(text: string): number {
  const trimmed = text.trim();
  if (!DATA_DECIMAL_PATTERN.test(trimmed)) return NaN;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : NaN;
}

/** Parses one cell: surrounding whitespace is ignored, an empty cell is `missing`. */
export function parseDataNumber(text: string): DataCellValue {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'missing' };
  if (DATA_NON_FINITE_PATTERN.test(trimmed)) return { kind: 'non-finite' };
  if (!DATA_DECIMAL_PATTERN.test(trimmed)) return { kind: 'invalid' };
  const value = Number(trimmed);
  return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'non-finite' };
}
