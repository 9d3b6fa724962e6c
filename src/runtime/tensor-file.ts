/**
 * A small binary container for named arrays plus a JSON header, written atomically. Used for checkpoints.
 *
 * Version 2 (written):  "MLSPEC2\n", u32 little-endian header length, UTF-8 JSON header
 *   {header, arrays: [{name, dtype, shape, length}]}, the arrays' bytes back to back in header
 *   order, then the 32-byte SHA-256 of every byte before it.
 * Version 1 (still read): "MLSPEC1\n", the same header and data, no checksum.
 *
 * A reader checks, before anything is used: the magic, that the header parses and describes
 * arrays whose lengths match their shapes, that the file is exactly as long as the header says,
 * and (version 2) the checksum. Any failure is a DamagedFileError with one sentence.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { RunError } from './errors.js';
import { FileReadError, fileKind } from './safe-read.js';

export interface StoredArray {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

const TENSOR_FILE_MAGIC_V1 = 'MLSPEC1\n';
const TENSOR_FILE_MAGIC_V2 = 'MLSPEC2\n';
const TENSOR_FILE_MAGIC_BYTES = 8;
const TENSOR_FILE_DIGEST_BYTES = 32;
/** A header longer than this is damage, not a header (a real one is a few KiB per hundred arrays). */
const TENSOR_FILE_MAX_HEADER_BYTES = 64 * 1024 * 1024;
/** Bytes read (and hashed) at a time. */
const TENSOR_FILE_READ_CHUNK = 16 * 1024 * 1024;

/** A file whose content is not what mlspec wrote: one sentence naming the file and the damage. */
export class DamagedFileError extends RunError {
  constructor(
    readonly file: string,
    readonly detail: string,
    advice = 'resume from an earlier copy or start again',
  ) {
    super(`${file} is damaged: ${detail}; ${advice}.`, 1);
    this.name = 'DamagedFileError';
  }
}

/** The bytes of a tensor file, as parts (nothing is copied into one buffer, so any size works). */
export function tensorFileParts(header: unknown, arrays: readonly StoredArray[]): Uint8Array[] {
  const index = arrays.map((a) => ({ name: a.name, dtype: a.dtype, shape: a.shape, length: a.data.length }));
  const headerBytes = Buffer.from(JSON.stringify({ header, arrays: index }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length, 0);
  const parts: Uint8Array[] = [Buffer.from(TENSOR_FILE_MAGIC_V2, 'latin1'), length, headerBytes];
  for (const a of arrays) parts.push(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  parts.push(hash.digest());
  return parts;
}

export function writeTensorFile(file: string, header: unknown, arrays: readonly StoredArray[]): void {
  writeFileAtomic(file, tensorFileParts(header, arrays));
}

interface TensorFileIndexEntry {
  name: string;
  dtype: 'float32' | 'int32';
  shape: number[];
  length: number;
}

function validIndex(arrays: unknown): string | null {
  if (!Array.isArray(arrays)) return 'the header has no list of arrays';
  for (const [i, a] of arrays.entries()) {
    const entry = a as Partial<TensorFileIndexEntry> | null;
    if (entry === null || typeof entry !== 'object' || typeof entry.name !== 'string') return `array ${i} of the header has no name`;
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32') return `array ${entry.name.slice(0, 80)} has an unknown dtype`;
    if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return `array ${entry.name.slice(0, 80)} has an invalid shape`;
    const size = entry.shape.reduce((p: number, d: number) => p * d, 1);
    if (!Number.isSafeInteger(entry.length) || entry.length !== size) return `array ${entry.name.slice(0, 80)} has ${String(entry.length)} values but its shape [${entry.shape.join(', ')}] holds ${size}`;
  }
  return null;
}

function readExactly(fd: number, target: Uint8Array, position: number, hash: ReturnType<typeof createHash> | null): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = fs.readSync(fd, target, done, Math.min(TENSOR_FILE_READ_CHUNK, target.byteLength - done), position + done);
    if (n === 0) throw new Error('unexpected end of file');
    done += n;
  }
  hash?.update(target);
}

/**
 * Reads a tensor file, checking it completely before returning anything. `shown` names the file in
 * messages (default: its base name); `advice` ends a damage sentence.
 */
export function readTensorFile<H>(file: string, shown: string = path.basename(file), advice?: string): { header: H; arrays: StoredArray[]; version: 1 | 2 } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new FileReadError(shown, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String((error as NodeJS.ErrnoException).code ?? 'unreadable'));
  }
  const damaged = (detail: string) => new DamagedFileError(shown, detail, advice);
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(shown, `it is ${fileKind(stats)}, not a regular file`);
    const size = stats.size;
    if (size < TENSOR_FILE_MAGIC_BYTES + 4) throw damaged(`it holds only ${size} bytes, less than a header`);
    const start = Buffer.alloc(TENSOR_FILE_MAGIC_BYTES + 4);
    readExactly(fd, start, 0, null);
    const magic = start.subarray(0, TENSOR_FILE_MAGIC_BYTES).toString('latin1');
    if (magic !== TENSOR_FILE_MAGIC_V1 && magic !== TENSOR_FILE_MAGIC_V2) throw damaged('it does not start like an mlspec checkpoint (bad magic bytes)');
    const version = magic === TENSOR_FILE_MAGIC_V2 ? 2 : 1;
    const hash = version === 2 ? createHash('sha256').update(start) : null;
    const headerLength = start.readUInt32LE(TENSOR_FILE_MAGIC_BYTES);
    const trailer = version === 2 ? TENSOR_FILE_DIGEST_BYTES : 0;
    if (headerLength > TENSOR_FILE_MAX_HEADER_BYTES || start.length + headerLength + trailer > size) {
      throw damaged(`its header length (${headerLength} bytes) does not fit in the file's ${size} bytes`);
    }
    const headerBytes = Buffer.alloc(headerLength);
    readExactly(fd, headerBytes, start.length, hash);
    let parsed: { header: H; arrays: TensorFileIndexEntry[] };
    try {
      parsed = JSON.parse(headerBytes.toString('utf8')) as { header: H; arrays: TensorFileIndexEntry[] };
    } catch {
      throw damaged('its header is not valid JSON');
    }
    if (parsed === null || typeof parsed !== 'object' || typeof parsed.header !== 'object' || parsed.header === null) throw damaged('its header has no checkpoint fields');
    const problem = validIndex(parsed.arrays);
    if (problem !== null) throw damaged(problem);
    const dataBytes = parsed.arrays.reduce((sum, a) => sum + a.length * 4, 0);
    const expected = start.length + headerLength + dataBytes + trailer;
    if (expected !== size) {
      throw damaged(size < expected ? `it is truncated (${size} of ${expected} bytes)` : `it is ${size - expected} bytes longer than its header says`);
    }
    let offset = start.length + headerLength;
    const arrays: StoredArray[] = [];
    for (const a of parsed.arrays) {
      const data = a.dtype === 'int32' ? new Int32Array(a.length) : new Float32Array(a.length);
      readExactly(fd, new Uint8Array(data.buffer), offset, hash);
      arrays.push({ name: a.name, dtype: a.dtype, shape: a.shape, data });
      offset += a.length * 4;
    }
    if (hash !== null) {
      const stored = Buffer.alloc(TENSOR_FILE_DIGEST_BYTES);
      readExactly(fd, stored, offset, null);
      const actual = hash.digest();
      if (!actual.equals(stored)) throw damaged(`its SHA-256 checksum does not match its content (${actual.toString('hex').slice(0, 12)}... instead of ${stored.toString('hex').slice(0, 12)}...)`);
    }
    return { header: parsed.header, arrays, version };
  } catch (error) {
    if (error instanceof RunError) throw error;
    throw damaged(`it cannot be read (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Just the JSON header of a tensor file (no checks beyond parsing), or null: for messages about what a checkpoint holds. */
export function peekTensorFileHeader<H>(file: string): H | null {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      if (!fs.fstatSync(fd).isFile()) return null;
      const start = Buffer.alloc(TENSOR_FILE_MAGIC_BYTES + 4);
      readExactly(fd, start, 0, null);
      const length = start.readUInt32LE(TENSOR_FILE_MAGIC_BYTES);
      if (length > TENSOR_FILE_MAX_HEADER_BYTES) return null;
      const headerBytes = Buffer.alloc(length);
      readExactly(fd, headerBytes, start.length, null);
      return (JSON.parse(headerBytes.toString('utf8')) as { header: H }).header;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}
