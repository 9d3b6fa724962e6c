/** The typed-column part of a CSV source config: what buildCsvTable reads as text, and what the table carries for encoding. */
import type { DataCsvConfig, DataTypedColumns } from './config.js';

/** Null for a source without typed columns or `input(from: ...)` (its table is as before). */
export function csvTypedColumnsOf(config: DataCsvConfig): DataTypedColumns | null {
  if (!config.inputs) return null;
  return { missing: config.missing, category: config.category ?? [], binary: config.binary ?? [], inputs: config.inputs };
}

/** The columns read as text rather than numbers. */
export function csvTextColumnsOf(config: DataCsvConfig): string[] {
  return [...(config.category ?? []), ...(config.binary ?? [])];
}
