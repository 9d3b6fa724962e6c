/** The run folder lock (run-lock.ts): refused while its holder lives, taken over when it is gone. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireRunLock, RUN_LOCK_FILE } from '../../src/runtime/run-lock.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-lock-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let folders = 0;
const folder = () => {
  const dir = path.join(tmp, `run-${folders++}`);
  fs.mkdirSync(dir);
  return dir;
};
const lockOf = (dir: string) => path.join(dir, RUN_LOCK_FILE);
const deadPid = () => Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('acquireRunLock', () => {
  it('writes the pid, refuses a second lock while held, and removes the lock on release', () => {
    const dir = folder();
    const release = acquireRunLock(dir);
    expect(JSON.parse(fs.readFileSync(lockOf(dir), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`is in use by another mlspec run, process ${process.pid}, started `));
    release();
    expect(fs.existsSync(lockOf(dir))).toBe(false);
    release(); // idempotent
    acquireRunLock(dir)();
  });

  it("refuses a live process's lock (pid 1) and one from another host", () => {
    const dir = folder();
    fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: 1, host: os.hostname(), started: 'then', argv: ['node', 'mlspec', 'run', 'x.mlspec'] }));
    expect(() => acquireRunLock(dir)).toThrow(/process 1, started then \(mlspec run x\.mlspec\); wait for it to end/);
    fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: 'elsewhere', started: 'then', argv: [] }));
    expect(() => acquireRunLock(dir)).toThrow(/on host elsewhere, started then; .* if that process is gone, delete /);
  });

  it("takes over a dead process's lock, and an unreadable lock once it is old", () => {
    const dir = folder();
    fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: deadPid(), host: os.hostname(), started: 'then', argv: [] }));
    acquireRunLock(dir)();
    fs.writeFileSync(lockOf(dir), 'garbage');
    expect(() => acquireRunLock(dir)).toThrow(/is being locked by another mlspec process right now/);
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lockOf(dir), old, old);
    acquireRunLock(dir)();
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("never removes another process's lock on release", () => {
    const dir = folder();
    const release = acquireRunLock(dir);
    fs.writeFileSync(lockOf(dir), JSON.stringify({ pid: 1, host: os.hostname(), started: 'then', argv: [] }));
    release();
    expect(fs.existsSync(lockOf(dir))).toBe(true);
  });
});
