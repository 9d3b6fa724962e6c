import type { DataCsvConfig } from './config.js';
import { readCsvTable } from './csv-read.js';
import { csvDialectOf } from './csv-dialect.js';
import { buildCsvTable } from './csv-table.js';
import { csvLoadSplitFiles } from './csv-split-files.js';
import { csvStreams } from './csv-stream-choice.js';
import { prepareStreamedCsv, STREAM_DEFAULT_SHUFFLE_BUFFER } from './csv-stream-dataset.js';
import type { DataTable, DataTableSource } from './table.js';

/** `csv(path, label: ..., ...)`: a CSV file with a header row; a relative path resolves against baseDir (the spec's folder; a compiled program's own folder). */
export function csvDataSource(config: DataCsvConfig): DataTableSource {
  return {
    kind: 'csv',
    load: ({ baseDir }): DataTable => {
      if (config.path === null) return csvLoadSplitFiles(config, baseDir);
      const raw = readCsvTable(config.path, baseDir, csvDialectOf(config));
      const table = buildCsvTable(raw, {
        label: config.label,
        labelRequired: true,
        features: config.features,
        categorical: config.categorical,
        missing: config.missing,
        classes: null,
      });
      return { ...table, labels: table.labels! };
    },
    streamed: (pipeline, options) => {
      if (!csvStreams(config, options.baseDir)) return null;
      if (config.stream !== true) {
        options.onWarning?.(
          `\`${config.path}\` is larger than 512 MiB, too large to read at once, so it is streamed: rows are split by a hash of their line and shuffled through a buffer of ${config.shuffle_buffer ?? STREAM_DEFAULT_SHUFFLE_BUFFER} rows (docs/semantics.md); write \`stream: true\` to say so and silence this.`,
        );
      }
      return prepareStreamedCsv(config, pipeline, options);
    },
  };
}
