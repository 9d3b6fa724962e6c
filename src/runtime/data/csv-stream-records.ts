/**
 * Reading a CSV file of any size as a stream of record chunks (streamed data, csv-stream-dataset.ts):
 * the file (gunzipped for .gz) is read in pieces of CSV_STREAM_READ_BYTES, cut at line ends, and
 * each line split on the delimiter; a record holding the quote character (a quoted field, which may
 * span lines) is given to csv-parse whole. Only one piece and one chunk of records are in memory.
 * The records are those readCsvTable gives for the same dialect (a test compares the two).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { parse } from 'csv-parse/sync';
import type { CsvRecord } from './csv-simple.js';
import { csvIsGzip, type CsvDialect } from './csv-dialect.js';
import { CSV_MAX_COLUMNS } from './csv-read.js';
import { DataError } from './errors.js';

/** Bytes read from the file at a time. */
export const CSV_STREAM_READ_BYTES = 1 << 20;
/** Records per chunk handed to the caller. */
export const CSV_STREAM_CHUNK_RECORDS = 8192;
/** The longest line read: past it the file is not a table of rows (and memory would not stay bounded). */
export const CSV_STREAM_MAX_LINE_BYTES = 64 << 20;

export interface CsvStreamChunk {
  /** The column names: the header's (trimmed), or `columns` for `header: false`. */
  header: string[];
  /** The header's line, or null without one. */
  headerLine: number | null;
  /** Data records of this chunk, with the line each starts on. */
  rows: CsvRecord[];
}

function csvStreamCount(text: string, char: string): number {
  let count = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) count += 1;
  return count;
}

/** A record that holds quotes, parsed by csv-parse (its text may span lines). */
function csvStreamQuoted(text: string, line: number, file: string, dialect: CsvDialect): string[] {
  try {
    const records = parse(text, { relax_column_count: true, delimiter: dialect.delimiter, quote: dialect.quote }) as string[][];
    return records[0] ?? [];
  } catch (error) {
    throw new DataError('E0502', `\`${file}\` line ${line} is not valid CSV (${(error as Error).message}); check the quotes on that line.`, file, line, null);
  }
}

/**
 * The data records of `file` in chunks; `onBytes` sees every decompressed byte (for the data hash).
 * Throws DataError for a file that cannot be read, is not UTF-8, has a bad header or a row with the
 * wrong number of cells, as readCsvTable does.
 */
export async function* csvStreamRecords(
  file: string,
  dialect: CsvDialect,
  onBytes?: (bytes: Buffer) => void,
): AsyncGenerator<CsvStreamChunk> {
  const input = fs.createReadStream(file, { highWaterMark: CSV_STREAM_READ_BYTES });
  const stream: NodeJS.ReadableStream = csvIsGzip(file) ? input.pipe(zlib.createGunzip()) : input;
  if (csvIsGzip(file)) input.on('error', (error) => (stream as zlib.Gunzip).destroy(error));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let header: string[] | null = dialect.header ? null : [...dialect.columns!];
  let headerLine: number | null = null;
  let carry = '';
  let line = 0;
  let first = true;
  let pending: { text: string; line: number; quotes: number } | null = null;
  let rows: CsvRecord[] = [];
  // `pending` is set inside addLine, which TypeScript's narrowing does not follow.
  const pendingRecord = (): { text: string; line: number } | null => pending;

  const addRecord = (cells: string[], at: number): void => {
    if (header === null) {
      if (cells.length > CSV_MAX_COLUMNS) {
        throw new DataError('E0531', `\`${file}\` line ${at} has ${cells.length.toLocaleString('en-US')} columns, more than the ${CSV_MAX_COLUMNS.toLocaleString('en-US')} mlspec reads; keep the columns the model uses.`, file, at, null);
      }
      header = cells.map((name) => name.trim());
      headerLine = at;
      const seen = new Map<string, number>();
      header.forEach((name, index) => {
        const earlier = seen.get(name);
        if (earlier !== undefined) {
          throw new DataError('E0518', `\`${file}\` line ${at}: the column name \`${name}\` appears twice (columns ${earlier + 1} and ${index + 1}); rename one of them.`, file, at, index + 1);
        }
        seen.set(name, index);
      });
      return;
    }
    if (cells.length !== header.length) {
      const named = dialect.header ? `the header (line ${headerLine}) has ${header.length}` : `\`columns\` names ${header.length}`;
      throw new DataError('E0512', `\`${file}\` line ${at} has ${cells.length} cells but ${named}; give every row one cell per column.`, file, at, null);
    }
    rows.push({ cells, line: at });
  };

  const addLine = (raw: string): void => {
    line += 1;
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (pending !== null) {
      pending.text += `\n${raw}`;
      pending.quotes += csvStreamCount(raw, dialect.quote);
      if (pending.quotes % 2 === 0) {
        addRecord(csvStreamQuoted(pending.text, pending.line, file, dialect), pending.line);
        pending = null;
      }
      return;
    }
    if (text === '' || (dialect.comment !== null && text.startsWith(dialect.comment))) return;
    const quotes = csvStreamCount(text, dialect.quote);
    if (quotes === 0) addRecord(text.split(dialect.delimiter), line);
    else if (quotes % 2 === 0) addRecord(csvStreamQuoted(text, line, file, dialect), line);
    else pending = { text: raw, line, quotes };
  };

  const take = (): CsvStreamChunk => {
    const chunk = { header: header!, headerLine, rows };
    rows = [];
    return chunk;
  };

  try {
    for await (const piece of stream) {
      const bytes = piece as Buffer;
      onBytes?.(bytes);
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw new DataError('E0530', `\`${file}\` near line ${line + 1} is not valid UTF-8; save the file as UTF-8, since text in another encoding (such as Latin-1) would change class and column names.`, file, line + 1, null);
      }
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      text = carry + text;
      const end = text.lastIndexOf('\n');
      if (end < 0) {
        carry = text;
        if (carry.length > CSV_STREAM_MAX_LINE_BYTES) throw csvStreamLongLine(file, line + 1);
        continue;
      }
      carry = text.slice(end + 1);
      const lines = text.slice(0, end).split('\n');
      for (const each of lines) {
        addLine(each);
        if (rows.length >= CSV_STREAM_CHUNK_RECORDS) yield take();
      }
      const open = pendingRecord();
      if (open !== null && open.text.length > CSV_STREAM_MAX_LINE_BYTES) throw csvStreamLongLine(file, open.line);
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = code === 'ENOENT' ? 'it does not exist' : code.startsWith('Z_') ? `its name ends in .gz but it is not valid gzip: ${(error as Error).message}` : `${code || 'error'}: ${(error as Error).message}`;
    throw new DataError('E0501', `Cannot read the data file \`${file}\` (${reason}); check the path in \`csv(...)\`.`, file, null, null, 'path');
  } finally {
    input.destroy();
  }
  if (carry !== '') addLine(carry);
  if (pending !== null) {
    const open = pending as { line: number };
    throw new DataError('E0502', `\`${file}\` line ${open.line}: a quoted field is never closed; add the closing quote (${dialect.quote}) or remove the opening one.`, file, open.line, null);
  }
  if (header === null) {
    throw new DataError('E0513', `The data file \`${file}\` is empty; it needs a header row naming the columns, then one row per sample.`, file, null, null, 'path');
  }
  yield take();
}

function csvStreamLongLine(file: string, line: number): DataError {
  return new DataError('E0531', `\`${file}\` line ${line} is longer than ${CSV_STREAM_MAX_LINE_BYTES / 2 ** 20} MiB, more than mlspec reads as one row; is it a CSV file with one row per line?`, file, line, null);
}

/** Hex SHA-256 of everything a stream hands to `update`. */
export function csvStreamHasher(): { update: (bytes: Buffer) => void; hex: () => string } {
  const hash = createHash('sha256');
  return { update: (bytes) => hash.update(bytes), hex: () => hash.digest('hex') };
}
