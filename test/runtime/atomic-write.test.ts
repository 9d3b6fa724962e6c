/**
 * The writer never commits a partial file: short writes are completed, big contents go in
 * chunks, and a failing write (ENOSPC, EIO) leaves the previous file and no temporary behind.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  describeDisk,
  FileWriteError,
  removeStaleTemporaries,
  WRITE_CHUNK_BYTES,
  writeFileAtomic,
  writeFilesAtomic,
} from '../../src/runtime/atomic-write.js';
import { injectWriteFault, type InstalledFault } from './fault-injection.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-atomic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let fault: InstalledFault | null = null;
afterEach(() => {
  fault?.restore();
  fault = null;
});

const temporaries = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('completes short writes: every byte reaches the file', () => {
    const file = path.join(tmp, 'short.bin');
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    fault = injectWriteFault({ maxBytesPerCall: 7 });
    writeFileAtomic(file, [bytes.subarray(0, 500), bytes.subarray(500)]);
    fault.restore();
    expect(fault.lengths.length).toBeGreaterThan(100);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
    expect(temporaries(tmp)).toEqual([]);
  });

  it('writes a content larger than one chunk in chunks of at most 64 MiB', () => {
    const file = path.join(tmp, 'big.bin');
    const bytes = new Uint8Array(WRITE_CHUNK_BYTES + 12345);
    bytes[bytes.length - 1] = 7;
    fault = injectWriteFault({});
    writeFileAtomic(file, bytes);
    fault.restore();
    expect(Math.max(...fault.lengths)).toBe(WRITE_CHUNK_BYTES);
    expect(fault.lengths).toHaveLength(2);
    expect(fs.statSync(file).size).toBe(bytes.length);
    fs.rmSync(file);
  });

  it('keeps the previous file and removes the temporary when the disk is full', () => {
    const file = path.join(tmp, 'checkpoint.bin');
    fs.writeFileSync(file, 'the previous good content');
    fault = injectWriteFault({ match: /checkpoint\.bin/, code: 'ENOSPC' });
    let caught: unknown;
    try {
      writeFileAtomic(file, 'x'.repeat(5000));
    } catch (error) {
      caught = error;
    }
    fault.restore();
    expect(caught).toBeInstanceOf(FileWriteError);
    const error = caught as FileWriteError;
    expect(error.exitCode).toBe(1);
    expect(error.message).toMatch(/^cannot write .*checkpoint\.bin: no space left on the device \(.*free\)$/);
    expect(fs.readFileSync(file, 'utf8')).toBe('the previous good content');
    expect(temporaries(tmp)).toEqual([]);
  });

  it('commits several files all or nothing (model.json and weights.bin)', () => {
    const weights = path.join(tmp, 'weights.bin');
    const json = path.join(tmp, 'model.json');
    fs.writeFileSync(weights, 'old weights');
    fs.writeFileSync(json, 'old json');
    fault = injectWriteFault({ match: /model\.json/, code: 'EIO' });
    expect(() => writeFilesAtomic([{ file: weights, content: 'new weights' }, { file: json, content: 'new json' }])).toThrow(/an input\/output error on the device/);
    fault.restore();
    expect(fs.readFileSync(weights, 'utf8')).toBe('old weights');
    expect(fs.readFileSync(json, 'utf8')).toBe('old json');
    expect(temporaries(tmp)).toEqual([]);
  });
});

describe('describeDisk', () => {
  it('names the mount point and the free space', () => {
    expect(describeDisk(tmp)).toMatch(/^the \S+ file system mounted at \/\S*, [\d.]+ (bytes|KiB|MiB|GiB|TiB) free$/);
  });
});

describe('removeStaleTemporaries', () => {
  it("removes killed writers' temporaries and keeps a live writer's", () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'stale-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    const names = [`.checkpoint.bin.${dead}.1700000000000.tmp`, `.checkpoint.bin.mlspec-${dead}-1700000000000-3.tmp`, '.weights.bin.mlspec-1-1700000000000-1.tmp', 'checkpoint.bin'];
    for (const name of names) fs.writeFileSync(path.join(dir, name), 'x');
    expect(removeStaleTemporaries(dir).sort()).toEqual(names.slice(0, 2).sort());
    // pid 1 is alive: its temporary may be a write in progress.
    expect(fs.readdirSync(dir).sort()).toEqual(['.weights.bin.mlspec-1-1700000000000-1.tmp', 'checkpoint.bin']);
  });
});
