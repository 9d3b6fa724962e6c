/**
 * A compiled program's command line (src/runtime/entry.ts): run's options, and --data, which
 * replaces the program's data files (resolved against the working folder) and is refused, in one
 * sentence, where it cannot apply.
 */
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DataCsvConfig, DataRandomConfig } from '../../src/runtime/data/config.js';
import { parseProgramArgs, withDataFiles } from '../../src/runtime/entry.js';

const cwd = path.resolve('/work/somewhere');
const csv: DataCsvConfig = { kind: 'csv', path: 'data/iris.csv', label: 'species', features: null, categorical: true, missing: 'error' };

afterEach(() => vi.restoreAllMocks());

/** Runs `body`, which must end the process with `code` after writing one line to stderr; returns that line. */
function exitsWith(code: number, body: () => void): string {
  let written = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
    written += String(text);
    return true;
  });
  vi.spyOn(process, 'exit').mockImplementation(((c?: number) => {
    throw new Error(`exit ${c}`);
  }) as never);
  expect(body).toThrow(`exit ${code}`);
  return written;
}

describe('--data', () => {
  it('replaces the data file, resolved against the working folder', () => {
    const options = parseProgramArgs(['--data', 'other.csv', '--epochs', '3'], cwd);
    expect(options).not.toBe('help');
    if (options === 'help') return;
    expect(options.data).toEqual({ path: path.join(cwd, 'other.csv') });
    expect(options.epochs).toBe(3);
    expect(withDataFiles(csv, options.data)).toEqual({ ...csv, path: path.join(cwd, 'other.csv') });
  });

  it('names split files with train=, validation= and test=', () => {
    const options = parseProgramArgs(['--data', 'train=t.csv', '--data', `test=${path.join(cwd, 'x', 'e.csv')}`], cwd);
    if (options === 'help') throw new Error('not help');
    expect(options.data).toEqual({ train: path.join(cwd, 't.csv'), test: path.join(cwd, 'x', 'e.csv') });
    const split = { ...csv, path: null, train: 'a.csv', validation: null, test: 'b.csv' };
    expect(withDataFiles(split, options.data)).toEqual({ ...split, train: path.join(cwd, 't.csv'), test: path.join(cwd, 'x', 'e.csv') });
  });

  it('without --data leaves the program\'s own files', () => {
    const options = parseProgramArgs([], cwd);
    if (options === 'help') throw new Error('not help');
    expect(options.data).toEqual({});
    expect(withDataFiles(csv, options.data)).toBe(csv);
  });

  it('refuses a file name that is empty', () => {
    expect(() => parseProgramArgs(['--data', 'train='], cwd)).toThrow('--data train= names no file; give --data PATH or --data train=PATH.');
  });

  it('refuses split files for a program that reads one file, and the reverse', () => {
    expect(exitsWith(2, () => withDataFiles(csv, { train: '/t.csv' }))).toBe('--data train=PATH does not fit; this program reads one file: give --data PATH.\n');
    const split = { ...csv, path: null, train: 'a.csv' };
    expect(exitsWith(2, () => withDataFiles(split, { path: '/d.csv' }))).toBe(
      '--data PATH does not fit; this program reads split files: give --data train=PATH, validation=PATH or test=PATH.\n',
    );
  });

  it('refuses generated data', () => {
    const random: DataRandomConfig = { kind: 'random', samples: 10, features: 2, targets: 1, classes: 0 };
    expect(exitsWith(2, () => withDataFiles(random, { path: '/d.csv' }))).toBe("--data replaces a CSV file, but this program's data is generated (random); remove --data.\n");
  });
});
