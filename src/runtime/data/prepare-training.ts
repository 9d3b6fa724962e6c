/** The data of a training run: read at once (prepare-dataset.ts), or streamed (csv-stream-dataset.ts) when csv-stream-choice.ts says so. */
import type { PrepareDataConfig, PrepareDataOptions } from './config.js';
import { csvStreams } from './csv-stream-choice.js';
import { prepareStreamedCsv, type StreamedDataset } from './csv-stream-dataset.js';
import { prepareDataset, type PreparedDataset } from './prepare-dataset.js';
import type { DataTableSource } from './table.js';

export async function prepareTrainingData(source: DataTableSource, config: PrepareDataConfig, options: PrepareDataOptions): Promise<PreparedDataset | StreamedDataset> {
  const csv = config.source.kind === 'csv' ? config.source : null;
  if (csv === null || !csvStreams(csv, options.baseDir)) return prepareDataset(source, config, options);
  if (csv.stream !== true) {
    options.onWarning?.(
      `\`${csv.path}\` is larger than 512 MiB, too large to read at once, so it is streamed: rows are split by a hash of their line and shuffled through a buffer of ${csv.shuffle_buffer ?? 'the default'} rows (docs/semantics.md); write \`stream: true\` to say so and silence this.`,
    );
  }
  return prepareStreamedCsv(csv, config, options);
}
