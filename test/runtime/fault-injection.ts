/**
 * Injected file-system failures for tests: node:fs's writeSync is replaced (on the CommonJS
 * module, then synced into the ESM namespace that src/runtime imports) so that writes to chosen
 * files fail with an errno code, or write only a few bytes per call.
 */
import type * as fsTypes from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';

const fs = createRequire(import.meta.url)('node:fs') as typeof fsTypes;

export interface WriteFault {
  /** Fail writes to files whose path matches; the nth matching file (1-based) and later ones fail. */
  match?: RegExp;
  fromFile?: number;
  code?: string;
  /** Write at most this many bytes per call (short writes), without failing. */
  maxBytesPerCall?: number;
}

export interface InstalledFault {
  /** Lengths asked of every writeSync call while installed. */
  lengths: number[];
  /** Matching files opened so far. */
  matched: string[];
  restore(): void;
}

export function injectWriteFault(fault: WriteFault): InstalledFault {
  const originalOpen = fs.openSync;
  const originalWrite = fs.writeSync;
  const paths = new Map<number, string>();
  const failing = new Set<number>();
  const state: InstalledFault = {
    lengths: [],
    matched: [],
    restore() {
      fs.openSync = originalOpen;
      fs.writeSync = originalWrite;
      syncBuiltinESMExports();
    },
  };
  fs.openSync = ((file: fsTypes.PathLike, ...rest: unknown[]) => {
    const fd = (originalOpen as (...a: unknown[]) => number)(file, ...rest);
    const name = String(file);
    paths.set(fd, name);
    failing.delete(fd);
    if (fault.match?.test(name)) {
      state.matched.push(name);
      if (state.matched.length >= (fault.fromFile ?? 1)) failing.add(fd);
    }
    return fd;
  }) as typeof fs.openSync;
  fs.writeSync = ((fd: number, buffer: unknown, offset?: unknown, length?: unknown, ...rest: unknown[]) => {
    const asked = typeof length === 'number' ? length : typeof buffer === 'string' ? Buffer.byteLength(buffer) : (buffer as Uint8Array).byteLength;
    state.lengths.push(asked);
    if (failing.has(fd)) {
      throw Object.assign(new Error(`${fault.code ?? 'ENOSPC'}: injected failure, write`), { code: fault.code ?? 'ENOSPC', syscall: 'write', errno: -28 });
    }
    if (fault.maxBytesPerCall !== undefined && typeof buffer !== 'string' && typeof offset === 'number') {
      return originalWrite(fd, buffer as Uint8Array, offset, Math.min(asked, fault.maxBytesPerCall), ...(rest as [number | null]));
    }
    return (originalWrite as (...a: unknown[]) => number)(fd, buffer, offset, length, ...rest);
  }) as typeof fs.writeSync;
  syncBuiltinESMExports();
  return state;
}
