/**
 * The PyTorch program's CSV reader (src/emit/pytorch/python/data.py, read_csv_table) reads every
 * dialect option and gzip as the runtime does: the same feature values, labels, column names and
 * data hash. Runs data.py's reader alone with Python's standard library (no torch needed).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../src/runtime/data/csv-read.js';
import { buildCsvTable } from '../../src/runtime/data/csv-table.js';
import { csvDialectOf } from '../../src/runtime/data/csv-dialect.js';
import { csvLoadSplitFiles } from '../../src/runtime/data/csv-split-files.js';
import type { DataCsvConfig } from '../../src/runtime/data/config.js';
import { PYTHON } from './pytorch-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const fixtures = path.join(ROOT, 'test/fixtures/csv');
const dataPy = path.join(ROOT, 'src/emit/pytorch/python/data.py');

const READER = `
import csv, gzip, hashlib, io, json, math, os, re, sys
source, base = json.loads(sys.argv[1]), sys.argv[2]
namespace = {"csv": csv, "gzip": gzip, "hashlib": hashlib, "io": io, "json": json, "math": math, "os": os, "re": re}
exec(compile(open(sys.argv[3]).read(), "data.py", "exec"), namespace)
table = namespace["read_csv_table"](source, base)
print(json.dumps({k: table[k] for k in ("features", "featureNames", "labels", "hash")}))
`;

const CASES: { name: string; source: Record<string, unknown> }[] = [
  { name: 'semicolon, quoted', source: { path: 'semicolon.csv', label: 'label', categorical: true, delimiter: ';' } },
  { name: 'semicolon, gzip', source: { path: 'semicolon.csv.gz', label: 'label', categorical: true, delimiter: ';' } },
  { name: 'single quote', source: { path: 'single-quote.csv', label: 'label', categorical: true, quote: "'", features: ['b', 'a'] } },
  {
    name: 'headerless tab with comments',
    source: { path: 'headerless-tab.tsv', label: 'label', categorical: true, delimiter: '\t', comment: '#', header: false, columns: ['a', 'b', 'label'] },
  },
];

describe('data.py reads CSV dialects and gzip as the runtime does', () => {
  for (const { name, source } of CASES) {
    it(name, () => {
      const full: Record<string, unknown> = { kind: 'csv', features: null, categorical: false, missing: 'error', ...source };
      const r = spawnSync(PYTHON, ['-c', READER, JSON.stringify(full), fixtures, dataPy], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const python = JSON.parse(r.stdout) as { features: number[][]; featureNames: string[]; labels: { indices: number[]; names: string[] }; hash: string };
      const raw = readCsvTable(full.path as string, fixtures, csvDialectOf(full as Parameters<typeof csvDialectOf>[0]));
      const table = buildCsvTable(raw, {
        label: 'label',
        labelRequired: true,
        features: (full.features as string[] | null) ?? null,
        categorical: true,
        missing: 'error',
        classes: null,
      });
      expect(python.features).toEqual(table.features);
      expect(python.featureNames).toEqual(table.featureNames);
      const labels = table.labels as { indices: number[]; names: string[] };
      expect(python.labels.indices).toEqual([...labels.indices]);
      expect(python.labels.names).toEqual(labels.names);
      expect(python.hash).toBe(table.hash);
    });
  }
});

const SPLIT_READER = `
import csv, gzip, hashlib, io, json, math, os, re, sys
source, base = json.loads(sys.argv[1]), sys.argv[2]
namespace = {"csv": csv, "gzip": gzip, "hashlib": hashlib, "io": io, "json": json, "math": math, "os": os, "re": re}
exec(compile(open(sys.argv[3]).read(), "data.py", "exec"), namespace)
table = namespace["read_split_files"](source, base)
print(json.dumps({k: table[k] for k in ("features", "featureNames", "labels", "hash", "parts")}))
`;

describe('data.py reads split files as the runtime does', () => {
  it('the same rows in the same order, the same class map (from all files), parts and hash', () => {
    const source: DataCsvConfig = {
      kind: 'csv',
      path: null,
      train: 'split-train.csv',
      validation: 'split-valid.csv',
      test: 'split-test.csv',
      label: 'label',
      features: null,
      categorical: true,
      missing: 'error',
    };
    const r = spawnSync(PYTHON, ['-c', SPLIT_READER, JSON.stringify(source), fixtures, dataPy], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const python = JSON.parse(r.stdout) as { features: number[][]; featureNames: string[]; labels: unknown; hash: string; parts: Record<string, number> };
    const table = csvLoadSplitFiles(source, fixtures);
    expect(python.features).toEqual(table.features);
    expect(python.featureNames).toEqual(table.featureNames);
    expect(python.labels).toEqual(table.labels);
    expect(python.hash).toBe(table.hash);
    expect(python.parts).toEqual({ train: table.parts!.train, validation: table.parts!.validation, test: table.parts!.test });
  });
});
