import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataError } from '../../../src/runtime/data/errors.js';

/** test/fixtures/csv, absolute. */
export const csvFixtures = path.dirname(fileURLToPath(new URL('../../fixtures/csv/missing.csv', import.meta.url)));

/** The path messages use for a fixture. */
export const fixture = (name: string): string => path.join(csvFixtures, name);

/** examples/, where the shipped specs and data live. */
export const examplesDir = path.dirname(fileURLToPath(new URL('../../../examples/iris.mlspec', import.meta.url)));

/** The DataError that `run` throws (fails the test when it throws something else or nothing). */
export function dataErrorOf(run: () => unknown): DataError {
  try {
    run();
  } catch (error) {
    if (error instanceof DataError) return error;
    throw error;
  }
  throw new Error('expected a DataError, but nothing was thrown');
}

/** code, file, line, column and message of a DataError, for one exact comparison. */
export const describeError = (error: DataError) => ({
  code: error.code,
  file: error.file,
  line: error.line,
  column: error.column,
  message: error.message,
});
