/**
 * Selecting feature columns by type: in `input(from: [...])` and `csv(features: [...])`, the
 * words `numeric`, `category` and `binary` stand for every column of that type (in file order)
 * that no list names itself and no earlier selector took; a header column of that name is the
 * column, not a selector. Resolved once the header is known; a config without selectors is
 * returned as it is.
 */
import type { DataCsvConfig } from './config.js';

export const CSV_TYPE_SELECTORS = ['numeric', 'category', 'binary'] as const;

/** True when `name` selects columns by type in a file with this header. */
export function csvIsTypeSelector(name: string, header: readonly string[]): boolean {
  return (CSV_TYPE_SELECTORS as readonly string[]).includes(name) && !header.includes(name);
}

function csvColumnType(config: DataCsvConfig, name: string): string {
  if (config.category?.includes(name)) return 'category';
  if (config.binary?.includes(name)) return 'binary';
  return 'numeric';
}

/** The lists of `config` with every selector replaced by the columns it stands for. */
export function csvResolveSelectors(config: DataCsvConfig, header: readonly string[]): DataCsvConfig {
  const lists = [...(config.inputs ?? []).map((input) => input.from), config.features ?? []];
  if (!lists.some((list) => list.some((name) => csvIsTypeSelector(name, header)))) return config;
  const named = new Set(lists.flat().filter((name) => !csvIsTypeSelector(name, header)));
  const taken = new Set<string>();
  const expand = (list: readonly string[]): string[] =>
    list.flatMap((name) => {
      if (!csvIsTypeSelector(name, header)) return [name];
      const columns = header.filter((column) => column !== config.label && !named.has(column) && !taken.has(column) && csvColumnType(config, column) === name);
      for (const column of columns) taken.add(column);
      return columns;
    });
  const fromWritten = (config.inputs ?? []).some((input) => input.from.length > 0);
  const inputs = config.inputs?.map((input) => ({ ...input, from: expand(input.from) }));
  const features = fromWritten ? inputs!.flatMap((input) => input.from) : config.features === null ? null : expand(config.features);
  return { ...config, ...(inputs ? { inputs } : {}), features };
}
