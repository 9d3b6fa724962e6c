/**
 * split.json in a run folder: which rows went to train, validation and test, so that another
 * tool can be scored on the same test rows and `mlspec evaluate --split test RUN` can score the
 * run's own. Rows are 0-based indices into the data's rows (for CSV: the data rows after the
 * header, after rows dropped by `missing: drop`), listed in the order they were turned into
 * tensors; `lines` gives, for CSV data, the 1-based line of the file each of those rows starts on.
 */
import * as path from 'node:path';
import type { DataSourceConfig } from './config.js';
import type { DataSplitRows } from './split.js';

export const SPLIT_FILE = 'split.json';

export interface SplitFile {
  version: 1;
  /** The data source's kind: csv, random, sequence or sine. */
  source: string;
  /** CSV data: the absolute path of the file that was read; null for generated data. */
  file: string | null;
  /** SHA-256 of the file's bytes (or of the generator's config and seed), as in summary.json. */
  data_hash: string;
  /** The seed of the split and of generated data (`data.seed`, else the run's seed). */
  seed: number;
  shuffle: boolean;
  stratify: boolean;
  /** Number of data rows the split was taken from. */
  rows: number;
  train: number[];
  validation: number[];
  test: number[];
  /**
   * Split files (csv(train: ..., ...)): the absolute path and SHA-256 of each split's file (null
   * for a split without one); the rows above then index the train rows, then the validation
   * rows, then the test rows, and `file` is the train file. Absent for one file or generated data.
   */
  files?: { train: string | null; validation: string | null; test: string | null };
  file_hashes?: { train: string | null; validation: string | null; test: string | null };
  /** CSV data: the file line of each row above, per split; null for generated data. */
  lines: { train: number[]; validation: number[]; test: number[] } | null;
}

export interface SplitFileInput {
  source: DataSourceConfig;
  baseDir: string;
  hash: string;
  seed: number;
  shuffle: boolean;
  stratify: boolean;
  rows: number;
  splitRows: DataSplitRows;
  rowLines: readonly number[] | null;
  splitFiles?: { files: Record<'train' | 'validation' | 'test', string | null>; hashes: Record<'train' | 'validation' | 'test', string | null> } | null;
}

export function splitFileContents(input: SplitFileInput): SplitFile {
  const { splitRows, rowLines } = input;
  const linesOf = (rows: readonly number[]): number[] => rows.map((row) => rowLines![row]!);
  return {
    version: 1,
    source: input.source.kind,
    file:
      input.source.kind === 'csv'
        ? path.resolve(input.baseDir, input.source.path ?? input.source.train!)
        : input.source.kind === 'images'
          ? path.resolve(input.baseDir, input.source.path)
          : null,
    data_hash: input.hash,
    seed: input.seed,
    shuffle: input.shuffle,
    stratify: input.stratify,
    rows: input.rows,
    train: splitRows.train,
    validation: splitRows.validation,
    test: splitRows.test,
    ...(input.splitFiles
      ? {
          files: {
            train: input.splitFiles.files.train && path.resolve(input.splitFiles.files.train),
            validation: input.splitFiles.files.validation && path.resolve(input.splitFiles.files.validation),
            test: input.splitFiles.files.test && path.resolve(input.splitFiles.files.test),
          },
          file_hashes: input.splitFiles.hashes,
        }
      : {}),
    lines: rowLines === null ? null : { train: linesOf(splitRows.train), validation: linesOf(splitRows.validation), test: linesOf(splitRows.test) },
  };
}

/** JSON with one field per line and each row list on one line (a million rows stay a few MB, not a million lines). */
export function formatSplitFile(split: SplitFile): string {
  const lines = Object.entries(split).map(([key, value]) => {
    if (key === 'lines' && value !== null) {
      const inner = Object.entries(value as Record<string, number[]>).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
      return `  "lines": {\n${inner.join(',\n')}\n  }`;
    }
    return `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  });
  return `{\n${lines.join(',\n')}\n}\n`;
}
