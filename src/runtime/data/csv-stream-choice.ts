/**
 * When a CSV file is streamed (csv-stream-dataset.ts) rather than read at once: `stream: true`
 * always, `stream: false` never, and by default only when the file could not be read at once, its
 * text being over CSV_MAX_BYTES (for .gz: by the size gzip records in its last four bytes). So
 * data that could be read before is read, split and shuffled exactly as before.
 */
import * as fs from 'node:fs';
import type { DataCsvConfig } from './config.js';
import { CSV_MAX_BYTES, csvResolvePath } from './csv-read.js';
import { csvIsGzip } from './csv-dialect.js';

/** The text of `file` is longer than one read at once allows (false for a file that does not exist). */
export function csvTooLargeToRead(file: string): boolean {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat || !stat.isFile()) return false;
  if (stat.size > CSV_MAX_BYTES) return true;
  if (!csvIsGzip(file) || stat.size < 18) return false;
  // ISIZE: the uncompressed size modulo 2^32, little-endian, in the last four bytes.
  const fd = fs.openSync(file, 'r');
  try {
    const tail = Buffer.alloc(4);
    fs.readSync(fd, tail, 0, 4, stat.size - 4);
    return tail.readUInt32LE(0) > CSV_MAX_BYTES;
  } finally {
    fs.closeSync(fd);
  }
}

export function csvStreams(config: DataCsvConfig, baseDir: string): boolean {
  if (config.stream === true) return true;
  if (config.stream === false || config.path === null) return false;
  return csvTooLargeToRead(csvResolvePath(config.path, baseDir));
}
