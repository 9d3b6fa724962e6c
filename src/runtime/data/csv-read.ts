/**
 * Reading a CSV file into a header and rows of text cells, with the line each row starts on.
 * csv-parse handles the BOM, CRLF and quoted fields holding commas or newlines; files without
 * quotes take a faster path that gives the same records (csv-simple.ts).
 */
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';
import { systemFileKind } from '../safe-read.js';
import { DataError } from './errors.js';
import { dataSha256 } from './hash.js';
import { csvSplitSimple, type CsvRecord } from './csv-simple.js';
import { CSV_DEFAULT_DIALECT, csvBlankComments, csvDecompress, csvDialectProblem, type CsvDialect } from './csv-dialect.js';

export interface CsvRawTable {
  /** The path as used in messages: joined to baseDir when relative. */
  file: string;
  header: string[];
  /** The header's line; null for a file without one (`header: false`, named by `columns`). */
  headerLine: number | null;
  rows: CsvRecord[];
  /** Hex SHA-256 of the file's text bytes (decompressed for a .gz file). */
  hash: string;
}

/** The path of a CSV file written in a spec, resolved against `baseDir` (the spec's folder, or a compiled program's). */
export function csvResolvePath(filePath: string, baseDir: string): string {
  return path.isAbsolute(filePath) ? filePath : path.join(baseDir, filePath);
}

/** Offset of the first byte that does not belong to a valid UTF-8 sequence (overlong forms and surrogates included). */
function csvFirstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const length = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const second = bytes[i + 1]!;
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    if (second < low || second > high) return i;
    for (let k = 2; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/**
 * Bytes that are not UTF-8 (a Latin-1 `é`) would be decoded to U+FFFD, and two class names that
 * differ only there would merge without a word: such a file is refused, naming the line (E0530).
 */
function csvCheckUtf8(bytes: Buffer, file: string): void {
  if (isUtf8(bytes)) return;
  const offset = csvFirstInvalidUtf8(bytes);
  if (offset < 0) return;
  let line = 1;
  let lineStart = 0;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
  throw new DataError(
    'E0530',
    `\`${file}\` line ${line} is not valid UTF-8 (byte 0x${byte} at byte ${offset - lineStart + 1} of the line); save the file as UTF-8, since text in another encoding (such as Latin-1) would change class and column names.`,
    file,
    line,
    null,
  );
}

/** A data file that is not CSV at all: its content is never echoed (it may be an environment or a binary). */
function notCsvError(file: string, reason: string): DataError {
  return new DataError('E0501', `The data file \`${file}\` is not a CSV file (${reason}); check the path in \`csv(...)\`.`, file, null, null, 'path');
}

/** V8's longest string (2^29 - 24 characters): a larger file cannot be decoded at once. */
export const CSV_MAX_BYTES = 2 ** 29 - 24;
/** Columns and cell length a data file may have: far beyond real tables, far below what exhausts memory or a Set (2^24 entries). */
export const CSV_MAX_COLUMNS = 100_000;
export const CSV_MAX_CELL_CHARS = 65_536;

/** Refuses a header wider than CSV_MAX_COLUMNS and a cell longer than CSV_MAX_CELL_CHARS (E0531), naming where. */
function csvCheckLimits(rows: readonly CsvRecord[], file: string): void {
  const head = rows[0];
  if (head && head.cells.length > CSV_MAX_COLUMNS) {
    throw new DataError(
      'E0531',
      `\`${file}\` line ${head.line} has ${head.cells.length.toLocaleString('en-US')} columns, more than the ${CSV_MAX_COLUMNS.toLocaleString('en-US')} mlspec reads; keep the columns the model uses.`,
      file,
      head.line,
      null,
    );
  }
  for (const row of rows) {
    for (let c = 0; c < row.cells.length; c++) {
      const length = row.cells[c]!.length;
      if (length <= CSV_MAX_CELL_CHARS) continue;
      throw new DataError(
        'E0531',
        `\`${file}\` line ${row.line}, column ${c + 1} holds a cell of ${length.toLocaleString('en-US')} characters, more than the ${CSV_MAX_CELL_CHARS.toLocaleString('en-US')} mlspec reads; numbers and class names are far shorter.`,
        file,
        row.line,
        c + 1,
      );
    }
  }
}

/** The file's text bytes (decompressed for a .gz path). */
function csvReadBytes(file: string, baseDir: string): Buffer {
  const system = systemFileKind(file);
  if (system !== null) throw notCsvError(file, `it is ${system}`);
  try {
    // A device or pipe (/dev/zero, /dev/stdin, a FIFO) would be read forever.
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat && !stat.isFile() && !stat.isDirectory()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTREGULAR' });
    // Its text must fit in one JavaScript string (about 512 MiB); refused before reading.
    if (stat && stat.isFile() && stat.size > CSV_MAX_BYTES) throw Object.assign(new Error('too large'), { code: 'ETOOLARGE' });
    return csvDecompress(fs.readFileSync(file), file, CSV_MAX_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    const reason =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EISDIR'
          ? 'it is a folder'
          : code === 'ENOTREGULAR'
            ? 'it is not a regular file'
            : code === 'ETOOLARGE'
              ? file.endsWith('.gz')
                ? 'it decompresses to more than 512 MiB, the most mlspec reads at once from one CSV file; only training streams larger files'
                : 'it is larger than 512 MiB, the most mlspec reads at once from one CSV file; only training streams larger files'
              : code === 'EGZIP'
                ? `its name ends in .gz but it is ${(error as Error).message}`
                : `${code}: ${(error as Error).message}`;
    throw new DataError(
      'E0501',
      `Cannot read the data file \`${file}\` (${reason}); check the path in \`csv(...)\` (a relative path is resolved against ${path.resolve(baseDir)}).`,
      file,
      null,
      null,
      'path',
    );
  }
}

interface CsvParsedRecord {
  record: string[];
  /** `bytes`: the byte offset just past the record (and its line end). */
  info: { bytes: number };
}

const CSV_PARSE_OPTIONS = { bom: true, info: true, relax_column_count: true, skip_empty_lines: true } as const;

/** 1-based line of a byte offset: one more than the line feeds before it. */
function csvLineOfOffset(lineFeeds: readonly number[], offset: number): number {
  let low = 0;
  let high = lineFeeds.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (lineFeeds[middle]! < offset) low = middle + 1;
    else high = middle;
  }
  return low + 1;
}

function csvNewlinesIn(cells: readonly string[]): number {
  let count = 0;
  for (const cell of cells) {
    if (!cell.includes('\n')) continue;
    for (let i = 0; i < cell.length; i++) if (cell.charCodeAt(i) === 10) count++;
  }
  return count;
}

/**
 * Records with the line each starts on, by csv-parse (quoted fields, any line ends). Lines are
 * counted from byte offsets here, because csv-parse's own count treats a CRLF inside quotes as two.
 */
export function csvParseRecords(text: string, file: string, dialect: CsvDialect = CSV_DEFAULT_DIALECT): CsvRecord[] {
  const bytes = Buffer.from(text, 'utf8');
  const lineFeeds: number[] = [];
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lineFeeds.push(i);
  let records: CsvParsedRecord[];
  const options = { ...CSV_PARSE_OPTIONS, delimiter: dialect.delimiter, quote: dialect.quote };
  try {
    records = parse(bytes, options) as unknown as CsvParsedRecord[];
  } catch (error) {
    throw csvSyntaxError(error as CsvParseFailure, bytes, lineFeeds, file, options, dialect.quote);
  }
  return records.map(({ record, info }) => ({
    cells: record,
    line: csvLineOfOffset(lineFeeds, info.bytes - 1) - csvNewlinesIn(record),
  }));
}

/** What csv-parse's errors carry besides the message. */
interface CsvParseFailure extends Error {
  code?: string;
  /** The line csv-parse had reached. */
  lines?: number;
  /** Records read before the failure, the header included. */
  records?: number;
  /** 0-based field of the failure. */
  index?: number;
}

function csvSyntaxError(
  failure: CsvParseFailure,
  bytes: Buffer,
  lineFeeds: readonly number[],
  file: string,
  parseOptions: Record<string, unknown> = CSV_PARSE_OPTIONS,
  quote = '"',
): DataError {
  const column = typeof failure.index === 'number' ? failure.index + 1 : null;
  if (failure.code === 'CSV_QUOTE_NOT_CLOSED' && typeof failure.records === 'number') {
    // csv-parse reports the end of the file; the unclosed field is in the record after the last good one.
    let offset = 0;
    if (failure.records > 0) {
      const good = parse(bytes, { ...parseOptions, to: failure.records }) as unknown as CsvParsedRecord[];
      offset = good[good.length - 1]!.info.bytes;
    }
    while (bytes[offset] === 10 || bytes[offset] === 13) offset++;
    const line = csvLineOfOffset(lineFeeds, offset);
    return new DataError(
      'E0502',
      `\`${file}\` line ${line}${column === null ? '' : `, column ${column}`}: a quoted field is never closed; add the closing quote (${quote}) or remove the opening one.`,
      file,
      line,
      column,
    );
  }
  const line = typeof failure.lines === 'number' ? failure.lines : null;
  return new DataError(
    'E0502',
    `\`${file}\`${line === null ? '' : ` line ${line}`} is not valid CSV (${failure.message}); check the quotes on that line.`,
    file,
    line,
    column,
  );
}

/** Reads `filePath` (relative to `baseDir`) into a header and rows of raw cell text; throws DataError. */
export function readCsvTable(filePath: string, baseDir: string, dialect: CsvDialect = CSV_DEFAULT_DIALECT): CsvRawTable {
  const file = csvResolvePath(filePath, baseDir);
  const dialectProblem = csvDialectProblem(dialect);
  if (dialectProblem) throw new DataError('E0532', dialectProblem.message, file, null, null, dialectProblem.option);
  const bytes = csvReadBytes(file, baseDir);
  const firstLineEnd = bytes.indexOf(10);
  if (bytes.subarray(0, firstLineEnd < 0 ? bytes.length : firstLineEnd).includes(0)) throw notCsvError(file, 'its first line holds NUL bytes');
  csvCheckUtf8(bytes, file);
  const text = csvBlankComments(bytes.toString('utf8').replace(/^\uFEFF/, ''), dialect.comment);
  const rows = text.trim() === '' ? [] : (csvSplitSimple(text, dialect.delimiter, dialect.quote) ?? csvParseRecords(text, file, dialect));
  if (!dialect.header) return csvHeaderless(rows, dialect.columns!, file, bytes);
  if (rows.length === 0) {
    throw new DataError(
      'E0513',
      `The data file \`${file}\` is empty; it needs a header row naming the columns, then one row per sample.`,
      file,
      null,
      null,
      'path',
    );
  }
  csvCheckLimits(rows, file);
  const [head, ...body] = rows;
  const header = head!.cells.map((name) => name.trim());
  csvCheckHeader(header, file, head!.line);
  if (body.length === 0) {
    throw new DataError(
      'E0514',
      `The data file \`${file}\` has a header (line ${head!.line}) but no data rows; add one row per sample.`,
      file,
      head!.line,
      null,
    );
  }
  for (const row of body) {
    if (row.cells.length !== header.length) {
      throw new DataError(
        'E0512',
        `\`${file}\` line ${row.line} has ${row.cells.length} cells but the header (line ${head!.line}) has ${header.length}; give every row one cell per column.`,
        file,
        row.line,
        null,
      );
    }
  }
  return { file, header, headerLine: head!.line, rows: body, hash: dataSha256(bytes) };
}

/** `header: false`: every record is a data row, and `columns` names the columns. */
function csvHeaderless(rows: CsvRecord[], columns: string[], file: string, bytes: Buffer): CsvRawTable {
  if (rows.length === 0) {
    throw new DataError('E0514', `The data file \`${file}\` has no data rows; add one row per sample.`, file, null, null, 'path');
  }
  csvCheckLimits(rows, file);
  for (const row of rows) {
    if (row.cells.length !== columns.length) {
      throw new DataError(
        'E0512',
        `\`${file}\` line ${row.line} has ${row.cells.length} cells but \`columns\` names ${columns.length}; give every row one cell per column, or name every column in \`columns\`.`,
        file,
        row.line,
        null,
      );
    }
  }
  return { file, header: [...columns], headerLine: null, rows, hash: dataSha256(bytes) };
}

function csvCheckHeader(header: string[], file: string, line: number): void {
  const firstColumn = new Map<string, number>();
  header.forEach((name, index) => {
    const earlier = firstColumn.get(name);
    if (earlier !== undefined) {
      throw new DataError(
        'E0518',
        `\`${file}\` line ${line}: the column name \`${name}\` appears twice (columns ${earlier + 1} and ${index + 1}); rename one of them.`,
        file,
        line,
        index + 1,
      );
    }
    firstColumn.set(name, index);
  });
}
