import type { DataCsvConfig } from './config.js';
import { readCsvTable, type CsvRawTable } from './csv-read.js';
import { csvDialectOf } from './csv-dialect.js';
import { buildCsvTable } from './csv-table.js';
import { csvLoadSplitFiles } from './csv-split-files.js';
import { csvResolveSelectors } from './csv-selectors.js';
import { csvMissingByColumnOf, csvTextColumnsOf, csvTypedColumnsOf } from './csv-typed.js';
import type { DataTable, DataTableSource } from './table.js';

/** `csv(path, label: ..., ...)`: a CSV file with a header row; a relative path resolves against baseDir (the spec's folder; a compiled program's own folder). */
export function csvDataSource(config: DataCsvConfig): DataTableSource {
  return {
    kind: 'csv',
    load: ({ baseDir }): DataTable => {
      if (config.path === null) return csvLoadSplitFiles(config, baseDir);
      const raw = readCsvTable(config.path, baseDir, csvDialectOf(config));
      return csvFileTable(raw, csvResolveSelectors(config, raw.header));
    },
  };
}

/** The table of one file, for a config whose type selectors are resolved (csv-selectors.ts). */
function csvFileTable(raw: CsvRawTable, config: DataCsvConfig): DataTable {
  const table = buildCsvTable(raw, {
    label: config.label,
    labelRequired: true,
    features: config.features,
    categorical: config.categorical,
    missing: config.missing,
    classes: null,
    missingByColumn: csvMissingByColumnOf(config),
    textColumns: csvTextColumnsOf(config),
  });
  const typed = csvTypedColumnsOf(config);
  return { ...table, labels: table.labels!, ...(typed ? { typedColumns: typed } : {}) };
}
