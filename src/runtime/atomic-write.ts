/**
 * The one way mlspec writes a file: a temporary next to it, every byte written (write(2) may write
 * less than asked, and writes at most about 2 GiB per call, so it loops in 64 MiB chunks), fsync,
 * rename over the real name, fsync of the folder. A reader therefore sees the old content or the
 * new, never a mix and never a truncated file. When anything fails (ENOSPC, EDQUOT, EIO, ...) the
 * temporary is deleted, the old file is untouched, and a FileWriteError (a RunError, exit 1) says
 * which file, why, and which disk (mount point and free space).
 *
 * Several files can be committed together (model.json + weights.bin): all are written to
 * temporaries first and renamed only when every one of them is complete.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunError } from './errors.js';

/** Bytes per write call: Linux writes at most 0x7ffff000 bytes per call and Node's writeSync takes at most 2 GiB. */
export const WRITE_CHUNK_BYTES = 64 * 1024 * 1024;

/** Content to write: one buffer or text, or parts written back to back (no copy into one buffer). */
export type FileContent = Uint8Array | string | readonly Uint8Array[];

/** A complete, fsynced temporary waiting to be renamed over `file`. */
export interface PendingFile {
  file: string;
  temp: string;
}

/** Temporaries are named `.<name>.mlspec-<pid>-<time>-<n>.tmp`; removeStaleTemporaries also knows the older `.<name>.<pid>.<time>.tmp`. */
const TEMPORARY_NAMES = [/^\..+\.mlspec-(\d+)-\d+-\d+\.tmp$/, /^\..+\.(\d+)\.\d{13}\.tmp$/];
let temporaryCounter = 0;

/** Free space and mount point of the file system holding `dir`, in words ("the file system mounted at /tmp/x, 12 KiB free"). */
export function describeDisk(dir: string): string {
  let where = dir;
  try {
    const real = fs.realpathSync(dir);
    where = real;
    // Linux: the longest mount point that holds the folder. Octal escapes (\040 for a space) as the kernel writes them.
    const mounts = fs.readFileSync('/proc/self/mounts', 'utf8').split('\n');
    let best: { point: string; type: string } | null = null;
    for (const line of mounts) {
      const [, rawPoint, type] = line.split(' ');
      if (!rawPoint || !type) continue;
      const point = rawPoint.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
      const inside = real === point || real.startsWith(point.endsWith('/') ? point : `${point}/`);
      if (inside && (best === null || point.length >= best.point.length)) best = { point, type };
    }
    if (best) where = `the ${best.type} file system mounted at ${best.point}`;
  } catch {
    // Not Linux, or the folder is gone: name the folder.
  }
  try {
    const stats = fs.statfsSync(dir);
    return `${where}, ${formatBytes(Number(stats.bavail) * Number(stats.bsize))} free`;
  } catch {
    return where;
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** Why a write failed, in words, from the errno code. */
function writeFailureReason(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'EFBIG':
      return 'the file is larger than the file system allows';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EIO':
      return 'an input/output error on the device';
    default:
      return code;
  }
}

/** A file that could not be written; the file's previous content (if any) is untouched. */
export class FileWriteError extends RunError {
  constructor(
    readonly file: string,
    readonly code: string,
    /** The disk in words (describeDisk). */
    readonly disk: string,
  ) {
    super(`cannot write ${file}: ${writeFailureReason(code)} (${disk})`, 1);
    this.name = 'FileWriteError';
  }
}

function errnoCode(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : 'EIO';
}

function toParts(content: FileContent): readonly Uint8Array[] {
  if (typeof content === 'string') return [Buffer.from(content, 'utf8')];
  if (content instanceof Uint8Array) return [content];
  return content;
}

/** Writes every byte of `bytes` at the fd's position, in chunks, however short each write is. */
export function writeAllSync(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const length = Math.min(WRITE_CHUNK_BYTES, bytes.byteLength - offset);
    const written = fs.writeSync(fd, bytes, offset, length);
    if (written <= 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
    offset += written;
  }
}

function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Nothing more can be done; removeStaleTemporaries takes it at the next start.
  }
}

/** Writes `content` completely into a fsynced temporary next to `file` (removed again on failure). */
export function writeTemporary(file: string, content: FileContent): PendingFile {
  const dir = path.dirname(file);
  temporaryCounter += 1;
  const temp = path.join(dir, `.${path.basename(file)}.mlspec-${process.pid}-${Date.now()}-${temporaryCounter}.tmp`);
  let fd = -1;
  try {
    fd = fs.openSync(temp, 'wx', 0o644);
    for (const part of toParts(content)) writeAllSync(fd, part);
    fs.fsyncSync(fd);
    const closing = fd;
    fd = -1;
    fs.closeSync(closing);
  } catch (error) {
    if (fd >= 0) {
      try {
        fs.closeSync(fd);
      } catch {
        // Already failing.
      }
    }
    removeQuietly(temp);
    throw new FileWriteError(file, errnoCode(error), describeDisk(dir));
  }
  return { file, temp };
}

/** Deletes temporaries that will not be committed. */
export function discardTemporaries(pending: readonly PendingFile[]): void {
  for (const p of pending) removeQuietly(p.temp);
}

function fsyncFolder(dir: string): void {
  let fd = -1;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    // Some file systems (and Windows) cannot fsync a folder; any other failure is the disk's.
    const code = errnoCode(error);
    if (!['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF'].includes(code)) throw new FileWriteError(dir, code, describeDisk(dir));
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}

/** Renames complete temporaries over their files, then fsyncs their folders. */
export function commitTemporaries(pending: readonly PendingFile[]): void {
  let index = 0;
  try {
    for (; index < pending.length; index += 1) fs.renameSync(pending[index]!.temp, pending[index]!.file);
  } catch (error) {
    const failed = pending[index]!;
    discardTemporaries(pending.slice(index));
    throw new FileWriteError(failed.file, errnoCode(error), describeDisk(path.dirname(failed.file)));
  }
  for (const dir of new Set(pending.map((p) => path.dirname(p.file)))) fsyncFolder(dir);
}

/** Writes `file` so that a reader sees either the old or the new content, never a mix or a part. */
export function writeFileAtomic(file: string, content: FileContent): void {
  commitTemporaries([writeTemporary(file, content)]);
}

/** Writes several files all or nothing: none is replaced unless every one was written completely. */
export function writeFilesAtomic(files: readonly { file: string; content: FileContent }[]): void {
  const pending: PendingFile[] = [];
  try {
    for (const { file, content } of files) pending.push(writeTemporary(file, content));
  } catch (error) {
    discardTemporaries(pending);
    throw error;
  }
  commitTemporaries(pending);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

/**
 * Deletes temporaries left in `dir` by killed writers (a process that is gone, or this one);
 * call it while holding the run lock. Returns the names removed.
 */
export function removeStaleTemporaries(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = TEMPORARY_NAMES.map((pattern) => pattern.exec(name)).find((m) => m !== null);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid !== process.pid && processAlive(pid)) continue;
    removeQuietly(path.join(dir, name));
    removed.push(name);
  }
  return removed;
}
