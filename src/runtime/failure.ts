/**
 * Turns what a run can throw into one sentence and an exit code, so that neither `mlspec run`
 * nor a compiled program ever shows a stack trace for a problem the user can fix.
 */
import { BackendUnavailableError } from './backend.js';
import { DataError } from './data/errors.js';
import { RunError } from './errors.js';

export interface RunFailure {
  message: string;
  exitCode: number;
  /** file:line:column of a data problem, when known. */
  location: { file: string; line: number | null; column: number | null } | null;
  code: string | null;
}

export function describeRunFailure(error: unknown): RunFailure {
  if (error instanceof RunError) return { message: error.message, exitCode: error.exitCode, location: null, code: null };
  if (error instanceof BackendUnavailableError) return { message: error.message, exitCode: 2, location: null, code: null };
  if (error instanceof DataError) {
    const location = error.file === null ? null : { file: error.file, line: error.line, column: error.column };
    return { message: error.message, exitCode: 1, location, code: error.code };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Anything else is a bug in mlspec or tfjs: say so, without a stack trace unless asked for.
  const detail = process.env.MLSPEC_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return {
    message: `internal error: ${message} (please report this with the spec; set MLSPEC_DEBUG=1 for details)${detail}`,
    exitCode: 70,
    location: null,
    code: null,
  };
}
