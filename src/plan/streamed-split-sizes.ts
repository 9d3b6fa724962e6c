/**
 * Split sizes of streamed CSV data (docs/semantics.md, "Streamed data"): one pass over the file,
 * each row assigned by the runtime's per-row rule (stream-split.ts), nothing kept.
 */
import type { DataCsvConfig, DataPipelineConfig } from '../runtime/data/config.js';
import { csvResolvePath } from '../runtime/data/csv-read.js';
import { csvDialectOf } from '../runtime/data/csv-dialect.js';
import { streamChunkTable } from '../runtime/data/csv-stream-dataset.js';
import { csvStreamRecords } from '../runtime/data/csv-stream-records.js';
import { streamRowPart, streamSplitSeed } from '../runtime/data/stream-split.js';
import type { SplitSizes } from './split-sizes.js';

export async function streamedSplitSizes(source: DataCsvConfig, config: DataPipelineConfig, options: { baseDir: string; seed: number }): Promise<SplitSizes> {
  const file = csvResolvePath(source.path!, options.baseDir);
  const splitSeed = streamSplitSeed(config.seed ?? options.seed);
  const counts = [0, 0, 0];
  const classes = new Set<string>();
  for await (const chunk of csvStreamRecords(file, csvDialectOf(source))) {
    const table = streamChunkTable(chunk, file, source, null);
    if (table === null) continue;
    if (table.labels?.kind === 'classes') for (const name of table.labels.names ?? []) classes.add(name);
    for (const line of table.rowLines!) counts[streamRowPart(splitSeed, line, config.split)]! += 1;
  }
  return {
    rows: counts[0]! + counts[1]! + counts[2]!,
    train: counts[0]!,
    validation: counts[1]!,
    test: counts[2]!,
    origin: `\`${file}\``,
    classes: source.categorical ? classes.size : null,
  };
}
