/** The first rows of a CSV file too large to read at once (it is streamed), for `check`: whole lines from its first CSV_SAMPLE_BYTES of text. */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { csvIsGzip } from '../runtime/data/csv-dialect.js';

export const CSV_SAMPLE_BYTES = 4 << 20;

export function csvSampleBytes(file: string): Buffer {
  const fd = fs.openSync(file, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(CSV_SAMPLE_BYTES);
    head = head.subarray(0, fs.readSync(fd, head, 0, CSV_SAMPLE_BYTES, 0));
  } finally {
    fs.closeSync(fd);
  }
  // A gzip stream cut short decompresses as far as it goes with a sync flush.
  const text = csvIsGzip(file) ? zlib.gunzipSync(head, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, CSV_SAMPLE_BYTES) : head;
  const end = text.lastIndexOf(10);
  return end < 0 ? text : text.subarray(0, end + 1);
}
