/**
 * The seam between the data pipeline and typed columns (column-types.ts): a table that carries
 * `typedColumns` is encoded once the training rows are known (training) or with the saved
 * encodings (evaluate, predict); any other table passes through untouched.
 */
import type { DataPipelineConfig, DataTypedColumns } from './config.js';
import { applyColumnEncodings, checkInputWidths, fitColumnEncodings, type DataColumnEncoding } from './column-types.js';
import type { DataTable } from './table.js';

export interface EncodedTable {
  table: DataTable;
  /** The encoding of each source column; null for a table without typed columns. */
  columns: DataColumnEncoding[] | null;
}

/** An empty binary cell: NaN for `missing: mean` to fill (the column's own rule, `input(missing: ...)`, else the source's), else 0. */
function dataEmptyBinary(typed: DataTypedColumns): (column: string) => number {
  return (column) => ((typed.inputs.find((input) => input.from.includes(column))?.missing ?? typed.missing) === 'mean' ? NaN : 0);
}

/** Training: fits the encodings on `trainRows` and applies them to every row. */
export function dataEncodeTyped(table: DataTable, trainRows: readonly number[]): EncodedTable {
  const typed = table.typedColumns;
  if (!typed) return { table, columns: null };
  const columns = fitColumnEncodings(table, typed, trainRows);
  checkInputWidths(columns, typed, table.origin);
  return { table: applyColumnEncodings(table, columns, dataEmptyBinary(typed)), columns };
}

/** New data: applies the saved encodings. */
export function dataEncodeSaved(table: DataTable, columns: readonly DataColumnEncoding[] | null | undefined): DataTable {
  if (!table.typedColumns || !columns) return table;
  return applyColumnEncodings(table, columns, dataEmptyBinary(table.typedColumns));
}

/** Normalising the token ids of a typed table is refused per column type instead (only numeric columns are scaled). */
export function dataTypedPipelineConfig(config: DataPipelineConfig, table: DataTable): DataPipelineConfig {
  return table.typedColumns ? { ...config, normalize: 'none' } : config;
}
