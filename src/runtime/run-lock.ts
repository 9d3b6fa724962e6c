/**
 * One writer per run folder. `run`, `run --resume` and `run --force` (and compiled programs)
 * create RUN_FOLDER/.mlspec.lock with O_EXCL before they look at or change anything in the
 * folder; it holds {pid, host, started, argv}. A second writer finds it and is refused with a
 * sentence naming the other process. The lock is removed when the run ends (also on an error,
 * and on process exit).
 *
 * Stale locks: a lock whose pid is not alive on this host (the process was SIGKILLed, the
 * machine rebooted) is taken over: renamed away atomically, checked again (if a live process
 * took it over in between, it is put back and this run is refused), deleted, and the lock is
 * created afresh. A lock from another host (a shared network folder) cannot be checked and is
 * never taken over: the message says to delete it if that process is gone. A pid reused by an
 * unrelated live process makes the lock look alive: the message says so and how to delete it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunError } from './errors.js';

export const RUN_LOCK_FILE = '.mlspec.lock';

interface RunLockInfo {
  pid: number;
  host: string;
  started: string;
  argv: string[];
}

function lockProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLockInfo(file: string): RunLockInfo | null {
  try {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      if (!fs.fstatSync(fd).isFile()) return null;
      const buffer = Buffer.alloc(16 * 1024);
      const n = fs.readSync(fd, buffer, 0, buffer.length, 0);
      const info = JSON.parse(buffer.subarray(0, n).toString('utf8')) as RunLockInfo;
      return typeof info.pid === 'number' ? info : null;
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
}

/** A lock is held by a live process when its pid is alive here (or it is from another host, which cannot be checked). */
function lockIsLive(info: RunLockInfo | null, file: string): boolean {
  if (info === null) {
    // Being written right now (created, not yet filled) or garbage: live only while it is fresh.
    try {
      return Date.now() - fs.statSync(file).mtimeMs < 5000;
    } catch {
      return false;
    }
  }
  if (info.host !== os.hostname()) return true;
  return lockProcessAlive(info.pid);
}

function refusal(dir: string, info: RunLockInfo | null): RunError {
  const lock = path.join(dir, RUN_LOCK_FILE);
  if (info === null) return new RunError(`The run folder ${dir} is being locked by another mlspec process right now; try again in a moment.`);
  const command = info.argv.slice(1).join(' ').slice(0, 160);
  const who = `process ${info.pid}${info.host !== os.hostname() ? ` on host ${info.host}` : ''}, started ${info.started}${command ? ` (${command})` : ''}`;
  return new RunError(
    `The run folder ${dir} is in use by another mlspec run, ${who}; wait for it to end or stop it, or, if that process is gone, delete ${lock}.`,
  );
}

function writeLock(file: string): void {
  const info: RunLockInfo = { pid: process.pid, host: os.hostname(), started: new Date().toISOString(), argv: process.argv.map((a) => a.slice(0, 200)) };
  const fd = fs.openSync(file, 'wx', 0o644);
  try {
    fs.writeSync(fd, `${JSON.stringify(info)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Takes the lock of run folder `dir` (which must exist) or throws a RunError naming its holder.
 * Returns the function that releases it (idempotent).
 */
export function acquireRunLock(dir: string): () => void {
  const file = path.join(dir, RUN_LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      writeLock(file);
      const release = () => {
        process.off('exit', release);
        const info = readLockInfo(file);
        if (info !== null && info.pid === process.pid && info.host === os.hostname()) fs.rmSync(file, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        const reason = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EROFS' ? 'read-only file system' : code === 'ENOSPC' ? 'no space left on the device' : (code ?? 'unknown error');
        throw new RunError(`The output folder ${dir} cannot be written (${reason}); choose another with --out.`);
      }
    }
    const info = readLockInfo(file);
    if (lockIsLive(info, file)) throw refusal(dir, info);
    // Stale: move it aside atomically; only one contender gets this exact file.
    const aside = `${file}.stale.${process.pid}`;
    try {
      fs.renameSync(file, aside);
    } catch {
      continue; // someone else moved or removed it: try again
    }
    const moved = readLockInfo(aside);
    if (moved !== null && lockIsLive(moved, aside)) {
      // A live process locked the folder between our read and our rename: give its lock back.
      try {
        fs.linkSync(aside, file);
      } catch {
        // It is already locked again by someone; either way this run is refused.
      }
      fs.rmSync(aside, { force: true });
      throw refusal(dir, moved);
    }
    fs.rmSync(aside, { force: true });
  }
  throw refusal(dir, readLockInfo(file));
}
