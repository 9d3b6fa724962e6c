import type { DataCsvConfig } from './config.js';
import { readCsvTable, type CsvRawTable } from './csv-read.js';
import { csvDialectOf } from './csv-dialect.js';
import { buildCsvTable } from './csv-table.js';
import { csvLoadSplitFiles } from './csv-split-files.js';
import { csvResolveSelectors } from './csv-selectors.js';
import { csvMissingByColumnOf, csvTextColumnsOf, csvTypedColumnsOf } from './csv-typed.js';
import { csvStreams } from './csv-stream-choice.js';
import { prepareStreamedCsv, STREAM_DEFAULT_SHUFFLE_BUFFER } from './csv-stream-dataset.js';
import { DataError } from './errors.js';
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
    streamed: (pipeline, options) => {
      if (!csvStreams(config, options.baseDir)) return null;
      // The streamed reader has no typed columns yet (column-types.ts needs the training rows' vocabularies first).
      if (csvTypedColumnsOf(config)) {
        throw new DataError(
          'E0540',
          `\`${config.path}\` would be streamed, but the streamed reader does not encode typed columns (\`category\`, \`binary\`) or inputs that name their columns yet; use a file that fits in memory (under 512 MiB), or numeric columns and one input.`,
          null,
          null,
          null,
          'stream',
        );
      }
      if (config.stream !== true) {
        options.onWarning?.(
          `\`${config.path}\` is larger than 512 MiB, too large to read at once, so it is streamed: rows are split by a hash of their line and shuffled through a buffer of ${config.shuffle_buffer ?? STREAM_DEFAULT_SHUFFLE_BUFFER} rows (docs/semantics.md); write \`stream: true\` to say so and silence this.`,
        );
      }
      return prepareStreamedCsv(config, pipeline, options);
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
