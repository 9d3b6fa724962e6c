/**
 * `csv(train: "train.csv", validation: "valid.csv", test: "test.csv", label: ...)`: data that
 * comes already split. Each file is read with the same dialect and options and must have the same
 * columns as the train file (E0534, naming the first differing column). The table is the train
 * rows, then the validation rows, then the test rows; `parts` gives the counts, and the split is
 * those ranges. Class names (categorical) are the sorted names found in all the files, so a class
 * seen only in validation or test still has an index (the run warns that training never sees it);
 * missing-value fill and normalisation statistics come from the train rows only, as for one file.
 */
import type { DataCsvConfig } from './config.js';
import { readCsvTable, type CsvRawTable } from './csv-read.js';
import { csvDialectOf } from './csv-dialect.js';
import { buildCsvTable } from './csv-table.js';
import { csvResolveSelectors } from './csv-selectors.js';
import { csvMissingByColumnOf, csvTextColumnsOf, csvTypedColumnsOf } from './csv-typed.js';
import { DataError } from './errors.js';
import { dataSha256 } from './hash.js';
import { dataClassNames, encodeLabelsWith } from './labels.js';
import type { DataTable } from './table.js';

export const CSV_SPLIT_PARTS = ['train', 'validation', 'test'] as const;
export type CsvSplitPart = (typeof CSV_SPLIT_PARTS)[number];

/** The first column where two headers differ (by position), or null when they are equal. */
export function csvHeaderDifference(expected: readonly string[], found: readonly string[]): { index: number; expected: string | null; found: string | null } | null {
  for (let i = 0; i < Math.max(expected.length, found.length); i++) {
    if (expected[i] !== found[i]) return { index: i, expected: expected[i] ?? null, found: found[i] ?? null };
  }
  return null;
}

export function csvHeaderDifferenceText(trainFile: string, file: string, d: NonNullable<ReturnType<typeof csvHeaderDifference>>): string {
  const column = `column ${d.index + 1}`;
  if (d.found === null) return `\`${file}\` has no ${column} (\`${d.expected}\`), which the train file \`${trainFile}\` has; every split file needs the same columns in the same order.`;
  if (d.expected === null) return `\`${file}\` has a ${column} \`${d.found}\` that the train file \`${trainFile}\` does not have; every split file needs the same columns in the same order.`;
  return `\`${file}\` ${column} is \`${d.found}\`, but in the train file \`${trainFile}\` it is \`${d.expected}\`; every split file needs the same columns in the same order.`;
}

export function csvLoadSplitFiles(written: DataCsvConfig, baseDir: string): DataTable {
  const dialect = csvDialectOf(written);
  let config = written;
  const raws: { part: CsvSplitPart; raw: CsvRawTable }[] = [];
  for (const part of CSV_SPLIT_PARTS) {
    const file = config[part];
    if (typeof file !== 'string') continue;
    const raw = readCsvTable(file, baseDir, dialect);
    const train = raws[0]?.raw;
    if (train) {
      const difference = csvHeaderDifference(train.header, raw.header);
      if (difference) throw new DataError('E0534', csvHeaderDifferenceText(train.file, raw.file, difference), raw.file, raw.headerLine, difference.index + 1, part);
    }
    raws.push({ part, raw });
    // Type selectors (csv-selectors.ts) are resolved against the train file's header.
    if (raws.length === 1) config = csvResolveSelectors(written, raw.header);
  }
  const tables = raws.map(({ part, raw }) => ({
    part,
    raw,
    table: buildCsvTable(raw, { label: config.label, labelRequired: true, features: config.features, categorical: config.categorical, missing: config.missing, classes: null, textColumns: csvTextColumnsOf(config), missingByColumn: csvMissingByColumnOf(config) }),
  }));
  const first = tables[0]!.table;
  const features = tables.flatMap(({ table }) => table.features);
  const rowLines = tables.flatMap(({ table }) => table.rowLines ?? []);
  const count = (part: CsvSplitPart): number => tables.find((t) => t.part === part)?.table.features.length ?? 0;
  const fileOf = (part: CsvSplitPart): string | null => tables.find((t) => t.part === part)?.raw.file ?? null;
  const hashOf = (part: CsvSplitPart): string | null => tables.find((t) => t.part === part)?.raw.hash ?? null;
  let labels: DataTable['labels'];
  if (config.categorical) {
    const names = dataClassNames(tables.flatMap(({ table }) => (table.labels as { names: string[] }).names));
    const indices = tables.flatMap(({ table }) => {
      const own = table.labels as { indices: number[]; names: string[] };
      return encodeLabelsWith(own.indices.map((i) => own.names[i]!), names);
    });
    labels = { kind: 'classes', indices, count: names.length, names };
  } else {
    labels = { kind: 'values', values: tables.flatMap(({ table }) => (table.labels as { values: number[][] }).values) };
  }
  const hashes = { train: hashOf('train')!, validation: hashOf('validation'), test: hashOf('test') };
  const typed = csvTypedColumnsOf(config);
  return {
    ...(typed ? { typedColumns: typed, featureTexts: first.featureNames.map((_, slot) => (first.featureTexts?.[slot] ? tables.flatMap(({ table }) => table.featureTexts![slot]!) : null)) } : {}),
    features,
    featureNames: first.featureNames,
    hasMissing: tables.some(({ table }) => table.hasMissing),
    sampleShape: first.sampleShape,
    dtype: 'float32',
    labels,
    labelName: config.label,
    // One hash for the data: of the files' hashes, in split order.
    hash: dataSha256(JSON.stringify(hashes)),
    origin: tables.map(({ raw }) => `\`${raw.file}\``).join(', '),
    rowLines,
    parts: {
      train: count('train'),
      validation: count('validation'),
      test: count('test'),
      files: { train: fileOf('train')!, validation: fileOf('validation'), test: fileOf('test') },
      hashes,
    },
  };
}
