/** The typed-column part of a CSV source config: what buildCsvTable reads as text, and what the table carries for encoding. */
import type { DataCsvConfig, DataTypedColumns } from './config.js';

/** Null for a source without typed columns or `input(from: ...)` (its table is as before). */
export function csvTypedColumnsOf(config: DataCsvConfig): DataTypedColumns | null {
  if (!config.inputs) return null;
  return { missing: config.missing, category: config.category ?? [], binary: config.binary ?? [], inputs: config.inputs };
}

/** The missing-value rules of the inputs that set their own (`input(missing: ...)`), by column; undefined when none does. */
export function csvMissingByColumnOf(config: DataCsvConfig): Record<string, DataCsvConfig['missing']> | undefined {
  const own = (config.inputs ?? []).filter((input) => input.missing !== undefined);
  if (own.length === 0) return undefined;
  const rules: Record<string, DataCsvConfig['missing']> = Object.create(null);
  for (const input of own) for (const column of input.from) rules[column] = input.missing!;
  return rules;
}

/** The columns read as text rather than numbers. */
export function csvTextColumnsOf(config: DataCsvConfig): string[] {
  return [...(config.category ?? []), ...(config.binary ?? [])];
}
