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

/** How often `needle` occurs in `text` (without making an array of the pieces, as split would). */
function csvCount(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length)) count += 1;
  return count;
}

/** The records of `text` (BOM already removed), or null when it needs the full parser (quotes, lone CR). */
export function csvSplitSimple(text: string, delimiter = ',', quote = '"'): CsvRecord[] | null {
  if (text.includes(quote)) return null;
  const crlf = csvCount(text, '\r\n');
  const cr = csvCount(text, '\r');
  const lf = csvCount(text, '\n');
  // Either no CR at all, or every line break is CRLF; anything else is left to csv-parse.
  if (cr !== crlf || (crlf > 0 && crlf !== lf)) return null;
  const lines = text.split(crlf > 0 ? '\r\n' : '\n');
  const records: CsvRecord[] = [];
  lines.forEach((line, index) => {
    if (line !== '') records.push({ cells: line.split(delimiter), line: index + 1 });
  });
  return records;
}
