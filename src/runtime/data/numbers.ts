/**
 * Strict parsing of numeric cells. Number() alone accepts '', ' ', '0x10', 'Infinity' and more;
 * a data file should hold plain decimal numbers only.
 */

const DATA_DECIMAL_PATTERN = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DATA_NON_FINITE_PATTERN = /^[+-]?(?:nan|inf|infinity)$/i;

export type DataCellValue =
  | { kind: 'number'; value: number }
  | { kind: 'missing' }
  /** NaN or Infinity literals, and decimals that overflow float32, the dtype data is trained in (1e39, 1e999). */
  | { kind: 'non-finite' }
  | { kind: 'invalid' };

/**
 * Finite as float32: every cell becomes a float32 tensor value, and 1e39 would become Infinity
 * there (NaN losses and probabilities with no message). Training, evaluate and predict all read
 * cells through this file, so all three refuse such a cell (E0516).
 */
function dataFiniteInFloat32(value: number): boolean {
  return Number.isFinite(Math.fround(value));
}

/** The cell's value when it is a plain decimal number finite in float32, else NaN (then parseDataNumber says why). Allocation-free, for the common case. */
export function dataNumberOrNaN(text: string): number {
  const trimmed = text.trim();
  if (!DATA_DECIMAL_PATTERN.test(trimmed)) return NaN;
  const value = Number(trimmed);
  return dataFiniteInFloat32(value) ? value : NaN;
}

/** Parses one cell: surrounding whitespace is ignored, an empty cell is `missing`. */
export function parseDataNumber(text: string): DataCellValue {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'missing' };
  if (DATA_NON_FINITE_PATTERN.test(trimmed)) return { kind: 'non-finite' };
  if (!DATA_DECIMAL_PATTERN.test(trimmed)) return { kind: 'invalid' };
  const value = Number(trimmed);
  return dataFiniteInFloat32(value) ? { kind: 'number', value } : { kind: 'non-finite' };
}
