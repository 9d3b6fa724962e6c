/**
 * A fast path for the common CSV file without quotes: split lines and commas directly, the same
 * records csv-parse gives with the options readCsvTable uses (a test compares the two). csv-parse
 * costs tens of milliseconds on the digits file; this costs a few.
 */

export interface CsvRecord {
  cells: string[];
  /** 1-based line the record starts on. */
  line: number;
}

/** The records of `text` (BOM already removed), or null when it needs the full parser (quotes, lone CR). */
export function csvSplitSimple(text: string): CsvRecord[] | null {
  if (text.includes('"')) return null;
  const crlf = text.split('\r\n').length - 1;
  const cr = text.split('\r').length - 1;
  const lf = text.split('\n').length - 1;
  // Either no CR at all, or every line break is CRLF; anything else is left to csv-parse.
  if (cr !== crlf || (crlf > 0 && crlf !== lf)) return null;
  const lines = text.split(crlf > 0 ? '\r\n' : '\n');
  const records: CsvRecord[] = [];
  lines.forEach((line, index) => {
    if (line !== '') records.push({ cells: line.split(','), line: index + 1 });
  });
  return records;
}
