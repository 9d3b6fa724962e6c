/**
 * What the checks need to know about the data before anything runs: the per-sample shape of x,
 * the layout of the labels (class count, targets, per-token classes) and, for CSV files, the
 * header. Generated sources are described by their options; CSV files are read (and cached by
 * path, size and modification time). Never throws: a file that cannot be used comes back as
 * `problem`, with the same code the runtime uses for it.
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { DataIR } from '../ir/types.js';
import { CSV_MAX_BYTES, CSV_MAX_COLUMNS } from '../runtime/data/csv-read.js';
import { systemFileKind } from '../runtime/safe-read.js';
import { csvHeaderDifference, csvHeaderDifferenceText } from '../runtime/data/csv-split-files.js';
import type { DataCsvConfig } from '../runtime/data/config.js';
import { csvResolveSelectors } from '../runtime/data/csv-selectors.js';
import { csvTooLargeToRead } from '../runtime/data/csv-stream-choice.js';
import { csvSampleBytes } from './data-sample.js';
import { imageFacts } from './image-facts.js';
import { csvBlankComments, csvDecompress, csvDialectOf, csvDialectProblem, type CsvDialect } from '../runtime/data/csv-dialect.js';

export type LabelFacts =
  /** One class per sample; count (and names) known when the data could be read. */
  | { kind: 'classes'; count: number | null; names: string[] | null }
  /** Real-valued targets per sample. */
  | { kind: 'values'; targets: number }
  /** One class per token of a sequence. */
  | { kind: 'tokens'; length: number; count: number };

export interface DataFacts {
  /** Why the data file cannot be used (E0501, E0502, E0513, E0514), else null. */
  problem: Diagnostic | null;
  /** CSV header, when the file was read. */
  header: string[] | null;
  /** The per-sample shape of x without `reshape` ([features], [window, 1], [length]), or null when unknown. */
  sampleShape: number[] | null;
  /** Names of the feature columns (CSV) when known. */
  featureNames: string[] | null;
  labels: LabelFacts | null;
  /** x holds int32 token ids. */
  tokens: boolean;
  /** Where the data comes from, for messages. */
  origin: string;
  /** CSV: the label column's cells in file order, trimmed (null when the file or column is missing). */
  labelCells: string[] | null;
  /** CSV: the feature columns' cells, one array per column in featureNames order (null when unknown). */
  featureColumns(): string[][] | null;
  /** Split files: the number of rows of the train file (they come first); absent for one file. */
  trainFileRows?: number;
}

interface CsvTable {
  header: string[];
  rows: string[][];
  /** Only the first rows of a file too large to read at once (it is streamed). */
  sampled?: boolean;
}

const cache = new Map<string, { size: number; mtimeMs: number; table: CsvTable | { problem: 'csv' | 'empty' | 'no-rows'; detail: string } }>();

export function readDataFacts(data: DataIR, baseDir: string, file: string): DataFacts {
  const source = data.source;
  switch (source.kind) {
    case 'random':
      return generated(`random(...) data`, [source.features], source.classes > 0 ? { kind: 'classes', count: source.classes, names: null } : { kind: 'values', targets: source.targets });
    case 'sine':
      return generated('sine(...) data', [source.window, 1], { kind: 'values', targets: 1 });
    case 'sequence':
      return { ...generated('sequence(...) data', [source.length], { kind: 'tokens', length: source.length, count: source.vocab }), tokens: true };
    case 'csv':
      return csvFacts(source, baseDir, file);
    case 'images':
      return imageFacts(source, baseDir, file);
  }
}

function generated(origin: string, sampleShape: number[], labels: LabelFacts): DataFacts {
  return { problem: null, header: null, sampleShape, featureNames: null, labels, tokens: false, origin, labelCells: null, featureColumns: () => null };
}

function csvFacts(source: DataIR['source'] & { kind: 'csv' }, baseDir: string, file: string): DataFacts {
  const unknownLabels: LabelFacts = source.categorical ? { kind: 'classes', count: null, names: null } : { kind: 'values', targets: 1 };
  // IR built by hand (tests) may lack the split-file options.
  const train = source.train ?? null;
  const main = source.path ?? train;
  const facts: DataFacts = { problem: null, header: null, sampleShape: null, featureNames: null, labels: unknownLabels, tokens: false, origin: main ?? 'csv(...)', labelCells: null, featureColumns: () => null };
  // Neither `path` nor `train` (or both): the data-split-files rule reports it.
  if (main === null || (source.path !== null && train !== null)) return facts;
  const mainOption = source.path !== null ? 'path' : 'train';
  const pathSpan: Span = source.spans[mainOption] ?? source.span;
  const resolved = path.resolve(baseDir, main);
  const dialect = csvDialectOf(source);
  const dialectProblem = csvDialectProblem(dialect);
  if (dialectProblem) {
    facts.problem = diagnostic('E0532', 'error', dialectProblem.message, file, source.spans[dialectProblem.option] ?? source.spans.delimiter ?? source.span);
    return facts;
  }
  const loaded = loadCsv(resolved, dialect, source.stream ?? null);
  if ('error' in loaded) {
    facts.problem = diagnostic('E0501', 'error', `Cannot read the data file '${main}' (${loaded.error}); the path is relative to the spec's folder.`, file, pathSpan, [`Looked for ${resolved}.`]);
    return facts;
  }
  let table = loaded.table;
  if ('problem' in table) {
    const code = table.problem === 'csv' ? 'E0502' : table.problem === 'empty' ? 'E0513' : 'E0514';
    facts.problem = diagnostic(code, 'error', `The data file '${main}' ${table.detail}.`, file, pathSpan);
    return facts;
  }
  // Split files: each must read, with the train file's columns; the facts cover all their rows.
  if (source.path === null) {
    const rows = [...table.rows];
    facts.trainFileRows = rows.length;
    for (const part of ['validation', 'test'] as const) {
      const other = source[part] ?? null;
      if (other === null) continue;
      const span: Span = source.spans[part] ?? source.span;
      const otherResolved = path.resolve(baseDir, other);
      const otherLoaded = loadCsv(otherResolved, dialect, false);
      if ('error' in otherLoaded) {
        facts.problem = diagnostic('E0501', 'error', `Cannot read the ${part} file '${other}' (${otherLoaded.error}); the path is relative to the spec's folder.`, file, span, [`Looked for ${otherResolved}.`]);
        return facts;
      }
      const otherTable = otherLoaded.table;
      if ('problem' in otherTable) {
        const code = otherTable.problem === 'csv' ? 'E0502' : otherTable.problem === 'empty' ? 'E0513' : 'E0514';
        facts.problem = diagnostic(code, 'error', `The ${part} file '${other}' ${otherTable.detail}.`, file, span);
        return facts;
      }
      const difference = csvHeaderDifference(table.header, otherTable.header);
      if (difference) {
        facts.problem = diagnostic('E0534', 'error', csvHeaderDifferenceText(main, other, difference).replaceAll('`', "'"), file, span);
        return facts;
      }
      rows.push(...otherTable.rows);
    }
    table = { header: table.header, rows };
  }
  facts.header = table.header;
  const labelIndex = table.header.indexOf(source.label);
  // Type selectors in `features` (`numeric`, `category`, `binary`) stand for columns (csv-selectors.ts).
  const written = source.features === null ? null : csvResolveSelectors({ label: source.label, features: source.features, category: source.category ?? undefined, binary: source.binary ?? undefined } as DataCsvConfig, table.header).features;
  const featureNames = written ?? table.header.filter((name) => name !== source.label);
  // Without the label column the default features (every other column) are not known.
  if ((source.features !== null || labelIndex >= 0) && featureNames.every((name) => table.header.includes(name))) {
    facts.featureNames = featureNames;
    facts.sampleShape = [featureNames.length];
    const indices = featureNames.map((name) => table.header.indexOf(name));
    let columns: string[][] | undefined;
    facts.featureColumns = () => (columns ??= indices.map((index) => table.rows.map((row) => row[index] ?? '')));
  }
  if (labelIndex >= 0) facts.labelCells = table.rows.map((row) => (row[labelIndex] ?? '').trim());
  // A streamed file is checked on its first rows: they need not hold every class.
  if (labelIndex >= 0 && source.categorical && 'sampled' in table && table.sampled) {
    facts.labels = { kind: 'classes', count: null, names: null };
  } else if (labelIndex >= 0 && source.categorical) {
    const names = [...new Set(facts.labelCells!.filter((name) => name !== ''))].sort();
    facts.labels = { kind: 'classes', count: names.length, names };
  }
  return facts;
}

function loadCsv(resolved: string, dialect: CsvDialect, stream: boolean | null): { table: CsvTable | { problem: 'csv' | 'empty' | 'no-rows'; detail: string } } | { error: string } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
    if (stat.isDirectory()) return { error: 'it is a folder' };
    // A device or pipe (/dev/zero, /dev/stdin, a FIFO) would be read forever.
    if (!stat.isFile()) return { error: 'it is not a regular file' };
    // Never echo a system file's content (an environment) as column names (integrity, safe-read.ts).
    const system = systemFileKind(resolved);
    if (system !== null) return { error: `it is ${system}, not a CSV file` };
    if (stat.size > CSV_MAX_BYTES && stream === false) return { error: 'it is larger than 512 MiB, the most mlspec reads at once from one CSV file; remove `stream: false` to stream it' };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String((error as Error).message) };
  }
  const key = `${resolved}\0${JSON.stringify(dialect)}\0${stream}`;
  const cached = cache.get(key);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return { table: cached.table };
  let text: string;
  let sampled = false;
  try {
    let bytes: Buffer;
    try {
      // A file that is streamed (`stream: true`, or too large to read at once) is checked on its first rows.
      sampled = stream === true || (stream !== false && csvTooLargeToRead(resolved));
      bytes = sampled ? csvSampleBytes(resolved) : csvDecompress(fs.readFileSync(resolved), resolved, CSV_MAX_BYTES);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ETOOLARGE') return { error: 'it is larger than 512 MiB decompressed, the most mlspec reads at once from one CSV file; remove `stream: false` to stream it' };
      if (code === 'EGZIP') return { error: `its name ends in .gz but it is ${(error as Error).message}` };
      throw error;
    }
    // Latin-1 class names would decode to U+FFFD and merge (integrity: the run refuses them as E0530).
    if (!isUtf8(bytes)) {
      const bad = new TextDecoder('utf-8').decode(bytes).indexOf('\ufffd');
      const line = bad < 0 ? 1 : new TextDecoder('utf-8').decode(bytes).slice(0, bad).split('\n').length;
      return { error: `it is not valid UTF-8 (line ${line}); save it as UTF-8` };
    }
    text = bytes.toString('utf8');
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  const lineEnd = text.indexOf('\n');
  const firstLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
  if (firstLine.includes('\0')) return { error: 'it is not a CSV file: its first line holds NUL bytes' };
  const table = parseTable(csvBlankComments(text.replace(/^\uFEFF/, ''), dialect.comment), dialect);
  if ('header' in table && table.header.length > CSV_MAX_COLUMNS) {
    return { error: `its header has ${table.header.length.toLocaleString('en-US')} columns, more than the ${CSV_MAX_COLUMNS.toLocaleString('en-US')} mlspec reads` };
  }
  if (sampled && 'rows' in table) table.sampled = true;
  cache.set(key, { size: stat.size, mtimeMs: stat.mtimeMs, table });
  return { table };
}

function parseTable(text: string, dialect: CsvDialect): CsvTable | { problem: 'csv' | 'empty' | 'no-rows'; detail: string } {
  let records: string[][];
  try {
    records =
      splitSimple(text, dialect) ??
      (parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, delimiter: dialect.delimiter, quote: dialect.quote }) as string[][]);
  } catch (error) {
    return { problem: 'csv', detail: `is not valid CSV (${(error as Error).message})` };
  }
  if (!dialect.header) {
    if (records.length === 0) return { problem: 'no-rows', detail: 'has no data rows' };
    return { header: [...dialect.columns!], rows: records };
  }
  if (records.length === 0) return { problem: 'empty', detail: 'is empty; it needs a header row naming the columns' };
  const [head, ...rows] = records;
  if (rows.length === 0) return { problem: 'no-rows', detail: 'has a header but no data rows' };
  return { header: head!.map((name) => name.trim()), rows };
}

/** Files without quotes (the usual case) split on line breaks and commas: much faster than csv-parse, same records. */
function splitSimple(text: string, dialect: CsvDialect): string[][] | null {
  // Quotes, or a carriage return that is not part of CRLF, need the real parser.
  if (text.includes(dialect.quote) || text.replaceAll('\r\n', '\n').includes('\r')) return null;
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .filter((line) => line !== '')
    .map((line) => line.split(dialect.delimiter));
}
