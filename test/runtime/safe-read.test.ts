/**
 * The bounded, non-blocking reader and the folder confinement that specs and run folders are
 * read through (safe-read.ts).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { confinedPath, FileReadError, readRegularFile, systemFileKind } from '../../src/runtime/safe-read.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-safe-read-')));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function reason(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FileReadError);
    return (error as FileReadError).reason;
  }
  throw new Error('no error');
}

describe('readRegularFile', () => {
  it('reads a regular file whole, up to and at its limit', () => {
    const file = path.join(tmp, 'ten.txt');
    fs.writeFileSync(file, '0123456789');
    expect(readRegularFile(file, 10).toString()).toBe('0123456789');
    expect(reason(() => readRegularFile(file, 9))).toBe('it is larger than 9 bytes, the most mlspec reads here');
  });

  it('refuses a FIFO at once, without waiting for a writer', () => {
    const fifo = path.join(tmp, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const started = Date.now();
    expect(reason(() => readRegularFile(fifo, 100))).toBe('it is a FIFO (named pipe), not a regular file');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('refuses devices and folders, and names a missing file', () => {
    expect(reason(() => readRegularFile('/dev/zero', 100))).toBe('it is a character device, not a regular file');
    expect(reason(() => readRegularFile(tmp, 100))).toBe('it is a folder, not a regular file');
    expect(reason(() => readRegularFile(path.join(tmp, 'none'), 100))).toBe('no such file');
  });

  it('reads a /proc file whose size is 0, never more than limit + 1 bytes', () => {
    expect(readRegularFile('/proc/self/status', 1 << 20).toString()).toContain('Name:');
    expect(reason(() => readRegularFile('/proc/self/status', 10))).toBe('it is larger than 10 bytes, the most mlspec reads here');
    expect(systemFileKind('/proc/self/environ')).toBe("a file of the system's /proc");
    expect(systemFileKind(path.join(tmp, 'x'))).toBeNull();
  });
});

describe('confinedPath', () => {
  const dir = path.join(tmp, 'run');
  fs.mkdirSync(path.join(dir, 'model'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'model', 'weights.bin'), 'w');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 's');
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(dir, 'model', 'out.bin'));
  fs.symlinkSync('weights.bin', path.join(dir, 'model', 'in.bin'));

  it('resolves a path inside the folder, and a symlink that stays inside', () => {
    expect(confinedPath(path.join(dir, 'model'), 'weights.bin', 'm')).toBe(path.join(dir, 'model', 'weights.bin'));
    expect(confinedPath(path.join(dir, 'model'), 'in.bin', 'm')).toBe(path.join(dir, 'model', 'weights.bin'));
    expect(confinedPath(dir, 'model/../model/weights.bin', 'm')).toBe(path.join(dir, 'model', 'weights.bin'));
  });

  it('refuses .., absolute paths, NUL bytes and symlinks that leave the folder', () => {
    expect(reason(() => confinedPath(path.join(dir, 'model'), '../../secret.txt', 'm'))).toBe('the path leaves the folder');
    expect(reason(() => confinedPath(path.join(dir, 'model'), path.join(tmp, 'secret.txt'), 'm'))).toBe('the path must be a relative path inside the folder');
    expect(reason(() => confinedPath(path.join(dir, 'model'), 'a\0b', 'm'))).toBe('the path must be a relative path inside the folder');
    expect(reason(() => confinedPath(path.join(dir, 'model'), 'out.bin', 'm'))).toBe('it is a symbolic link that leaves the folder');
  });
});
