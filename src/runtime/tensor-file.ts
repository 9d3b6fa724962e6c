/**
 * A small binary container for named arrays plus a JSON header, written atomically.
 * Layout: magic "MLSPEC1\n", u32 little-endian header length, UTF-8 JSON header, then the
 * arrays' bytes back to back in header order. Used for checkpoints.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface StoredArray {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

const TENSOR_FILE_MAGIC = 'MLSPEC1\n';

/** Writes `file` so that a reader sees either the old or the new content, never a mix (temp file + fsync + rename). */
export function writeFileAtomic(file: string, bytes: Uint8Array | string): void {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}

export function writeTensorFile(file: string, header: unknown, arrays: readonly StoredArray[]): void {
  const index = arrays.map((a) => ({ name: a.name, dtype: a.dtype, shape: a.shape, length: a.data.length }));
  const headerBytes = Buffer.from(JSON.stringify({ header, arrays: index }), 'utf8');
  const parts: Buffer[] = [Buffer.from(TENSOR_FILE_MAGIC, 'latin1')];
  const len = Buffer.alloc(4);
  len.writeUInt32LE(headerBytes.length, 0);
  parts.push(len, headerBytes);
  for (const a of arrays) parts.push(Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  writeFileAtomic(file, Buffer.concat(parts));
}

export function readTensorFile<H>(file: string): { header: H; arrays: StoredArray[] } {
  const bytes = fs.readFileSync(file);
  if (bytes.subarray(0, TENSOR_FILE_MAGIC.length).toString('latin1') !== TENSOR_FILE_MAGIC) {
    throw new Error(`${file} is not an mlspec checkpoint (bad magic bytes).`);
  }
  const headerLength = bytes.readUInt32LE(TENSOR_FILE_MAGIC.length);
  let offset = TENSOR_FILE_MAGIC.length + 4;
  const parsed = JSON.parse(bytes.subarray(offset, offset + headerLength).toString('utf8')) as {
    header: H;
    arrays: { name: string; dtype: 'float32' | 'int32'; shape: number[]; length: number }[];
  };
  offset += headerLength;
  const arrays: StoredArray[] = [];
  for (const a of parsed.arrays) {
    const byteLength = a.length * 4;
    if (offset + byteLength > bytes.length) throw new Error(`${file} is truncated.`);
    // Copy into a fresh, aligned buffer.
    const copy = new Uint8Array(byteLength);
    copy.set(bytes.subarray(offset, offset + byteLength));
    arrays.push({
      name: a.name,
      dtype: a.dtype,
      shape: a.shape,
      data: a.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer),
    });
    offset += byteLength;
  }
  return { header: parsed.header, arrays };
}
