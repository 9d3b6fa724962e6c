/**
 * CSV dialects and gzip: the options of `csv(...)` that say how the file's text is split into
 * records (delimiter, quote, comment lines, header or `columns`), and decompression of a path
 * ending in `.gz`. Shared by `check` (src/checks/data-facts.ts) and every reader of the file, so
 * all of them see the same records; src/emit/pytorch/python/data.py does the same in Python.
 */
import * as zlib from 'node:zlib';

export interface CsvDialect {
  delimiter: string;
  quote: string;
  /** Lines whose first character is this one are skipped (blanked, so line numbers stay); null: none. */
  comment: string | null;
  /** False: every record is a data row, named by `columns`. */
  header: boolean;
  columns: string[] | null;
}

export const CSV_DEFAULT_DIALECT: CsvDialect = { delimiter: ',', quote: '"', comment: null, header: true, columns: null };

/** The dialect of a csv source's options; absent options take the defaults. */
export function csvDialectOf(options: Partial<CsvDialect>): CsvDialect {
  return {
    delimiter: options.delimiter ?? ',',
    quote: options.quote ?? '"',
    comment: options.comment ?? null,
    header: options.header ?? true,
    columns: options.columns ?? null,
  };
}

export function csvIsDefaultDialect(d: CsvDialect): boolean {
  return d.delimiter === ',' && d.quote === '"' && d.comment === null && d.header && d.columns === null;
}

/** Why a dialect cannot be used, naming the option, or null. */
export function csvDialectProblem(d: CsvDialect): { option: keyof CsvDialect; message: string } | null {
  const one = (option: 'delimiter' | 'quote' | 'comment', value: string): { option: keyof CsvDialect; message: string } | null =>
    [...value].length !== 1 || value === '\n' || value === '\r'
      ? { option, message: `\`${option}\` must be one character other than a line break, got ${JSON.stringify(value)}.` }
      : null;
  const problem = one('delimiter', d.delimiter) ?? one('quote', d.quote) ?? (d.comment === null ? null : one('comment', d.comment));
  if (problem) return problem;
  if (d.quote === d.delimiter) return { option: 'quote', message: `\`quote\` and \`delimiter\` must differ (both are ${JSON.stringify(d.quote)}).` };
  if (d.comment !== null && (d.comment === d.delimiter || d.comment === d.quote)) {
    return { option: 'comment', message: `\`comment\` must differ from \`delimiter\` and \`quote\` (it is ${JSON.stringify(d.comment)}).` };
  }
  if (!d.header && (d.columns === null || d.columns.length === 0)) {
    return { option: 'header', message: 'A file without a header line (`header: false`) needs `columns: [...]` naming its columns in order.' };
  }
  if (d.header && d.columns !== null) {
    return { option: 'columns', message: '`columns` names the columns of a file without a header line; add `header: false`, or remove `columns` and use the header\'s names.' };
  }
  if (d.columns !== null) {
    const seen = new Set<string>();
    for (const name of d.columns) {
      if (seen.has(name)) return { option: 'columns', message: `The column name \`${name}\` appears twice in \`columns\`; rename one of them.` };
      seen.add(name);
    }
  }
  return null;
}

/** A path ending in `.gz` (any case) holds gzip-compressed text. */
export function csvIsGzip(file: string): boolean {
  return file.toLowerCase().endsWith('.gz');
}

/**
 * The bytes of the file's text: gunzipped for a `.gz` path, at most `maxBytes` of it (the limit on
 * the decompressed text). Throws an Error with code ETOOLARGE past the limit, or EGZIP when the
 * file is not valid gzip.
 */
export function csvDecompress(bytes: Buffer, file: string, maxBytes: number): Buffer {
  if (!csvIsGzip(file)) return bytes;
  try {
    return zlib.gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw Object.assign(new Error('too large'), { code: 'ETOOLARGE' });
    throw Object.assign(new Error(`not valid gzip: ${(error as Error).message}`), { code: 'EGZIP' });
  }
}

/** Blanks comment lines (keeping their line breaks, so every later line keeps its number). */
export function csvBlankComments(text: string, comment: string | null): string {
  if (comment === null || !text.includes(comment)) return text;
  return text
    .split('\n')
    .map((line) => (line.startsWith(comment) ? (line.endsWith('\r') ? '\r' : '') : line))
    .join('\n');
}
