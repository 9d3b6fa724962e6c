/** The column names of a CSV file's header, for completion inside `csv(...)`; null when unreadable. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'csv-parse/sync';

/** Headers are short; reading more would only slow completion on a huge or odd file. */
const HEADER_BYTES = 64 * 1024;

export function csvHeader(file: string, baseDir: string): string[] | null {
  const full = path.resolve(baseDir, file);
  let fd: number | null = null;
  try {
    if (!fs.statSync(full).isFile()) return null;
    fd = fs.openSync(full, 'r');
    const buffer = Buffer.alloc(HEADER_BYTES);
    const read = fs.readSync(fd, buffer, 0, HEADER_BYTES, 0);
    const firstLine = buffer.subarray(0, read).toString('utf8').split(/\r?\n/)[0] ?? '';
    const [columns] = parse(firstLine, { relax_quotes: true }) as string[][];
    return columns?.map((c) => c.trim()).filter((c) => c !== '') ?? null;
  } catch {
    return null;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
