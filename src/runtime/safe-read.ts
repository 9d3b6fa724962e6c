/**
 * Reading files that mlspec did not necessarily write (specs, run folders) without hanging,
 * without unbounded memory and without leaving the folder they belong to:
 *
 * - the file is opened non-blocking (a FIFO opens at once instead of waiting for a writer) and
 *   fstat'ed on the open descriptor: anything but a regular file (FIFO, device, socket, folder)
 *   is refused before a byte is read;
 * - at most limit + 1 bytes are ever read (stat sizes lie for /proc files), so an oversize file
 *   is refused having read only a little more than the limit;
 * - confinedPath resolves a path named inside a run folder (a weights manifest entry) and refuses
 *   one that leaves the folder, by `..`, an absolute path or a symlink pointing outside.
 *
 * Problems are FileReadError (a RunError, exit 1) with the reason in words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunError } from './errors.js';

/** A file that was refused or could not be read; `reason` is the part in words ("it is a FIFO, not a regular file"). */
export class FileReadError extends RunError {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`cannot read ${file} (${reason}).`, 1);
    this.name = 'FileReadError';
  }
}

/** What a non-regular file is, in words. */
export function fileKind(stats: fs.Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

function readErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return code ?? 'unreadable';
  }
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${Math.round(bytes / (1024 * 1024))} MiB`;
}

/**
 * The bytes of a regular file of at most `limit` bytes. `shown` is the name used in messages
 * (default: the path as given).
 */
export function readRegularFile(file: string, limit: number, shown: string = file): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer forever.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOCTTY ?? 0));
  } catch (error) {
    throw new FileReadError(shown, readErrorReason(error));
  }
  try {
    const stats = fs.fstatSync(fd);
    if (!stats.isFile()) throw new FileReadError(shown, `it is ${fileKind(stats)}, not a regular file`);
    const tooBig = () => new FileReadError(shown, `it is larger than ${sizeText(limit)}, the most mlspec reads here`);
    if (stats.size > limit) throw tooBig();
    // Read until end of file, but never more than limit + 1 bytes (a /proc file's size is 0).
    let buffer = Buffer.allocUnsafe(Math.min(limit + 1, Math.max(stats.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (buffer.length > limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(limit + 1, buffer.length * 2));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      let read: number;
      try {
        read = fs.readSync(fd, buffer, length, Math.min(buffer.length - length, 64 * 1024 * 1024), null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw new FileReadError(shown, readErrorReason(error));
      }
      if (read === 0) break;
      length += read;
    }
    if (length > limit) throw tooBig();
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}

/** A regular file's UTF-8 text, as readRegularFile reads it. */
export function readRegularText(file: string, limit: number, shown: string = file): string {
  return readRegularFile(file, limit, shown).toString('utf8');
}

/**
 * "a file of the kernel's /proc" (or /sys, /dev) when `file` resolves into one of those trees,
 * else null: such files are never specs or data, and their content (an environment, a memory
 * map) must never be echoed into a message.
 */
export function systemFileKind(file: string): string | null {
  let real = path.resolve(file);
  try {
    real = fs.realpathSync(file);
  } catch {
    // Missing: the reader says so.
  }
  for (const root of ['/proc', '/sys', '/dev']) {
    if (real === root || real.startsWith(`${root}/`)) return `a file of the system's ${root}`;
  }
  return null;
}

function inside(folder: string, candidate: string): boolean {
  const relative = path.relative(folder, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The absolute path of `name`, a path written inside the folder `dir` (a manifest entry, a file
 * of a run folder), after checking that it stays in the folder, symlinks resolved. `what` names
 * the folder in messages ("the run folder runs/x").
 */
export function confinedPath(dir: string, name: string, what: string): string {
  const shown = `${name} in ${what}`;
  if (name === '' || path.isAbsolute(name) || name.includes('\0')) throw new FileReadError(shown, 'the path must be a relative path inside the folder');
  const target = path.resolve(dir, name);
  if (!inside(path.resolve(dir), target)) throw new FileReadError(shown, 'the path leaves the folder');
  let realDir: string;
  let realTarget: string;
  try {
    realDir = fs.realpathSync(dir);
    realTarget = fs.realpathSync(target);
  } catch (error) {
    throw new FileReadError(shown, readErrorReason(error));
  }
  if (!inside(realDir, realTarget)) throw new FileReadError(shown, 'it is a symbolic link that leaves the folder');
  return realTarget;
}
