/**
 * Turns what a run can throw into one sentence and an exit code, so that neither `mlspec run`
 * nor a compiled program ever shows a stack trace for a problem the user can fix.
 */
import { BackendUnavailableError } from './backend.js';
import { DataError } from './data/errors.js';
import { RunError } from './errors.js';
import { terminalSafe } from './safe-text.js';

export interface RunFailure {
  message: string;
  exitCode: number;
  /** file:line:column of a data problem, when known. */
  location: { file: string; line: number | null; column: number | null } | null;
  code: string | null;
}

/** What a run can throw, as RunFailure, its texts made safe for a terminal (safe-text.ts). */
export function describeRunFailure(error: unknown): RunFailure {
  const failure = describeRunFailureText(error);
  const location = failure.location === null ? null : { ...failure.location, file: terminalSafe(failure.location.file) };
  return { ...failure, message: terminalSafe(failure.message), location };
}

function describeRunFailureText(error: unknown): RunFailure {
  if (error instanceof RunError) return { message: error.message, exitCode: error.exitCode, location: null, code: null };
  if (error instanceof BackendUnavailableError) return { message: error.message, exitCode: 2, location: null, code: null };
  if (error instanceof DataError) {
    const location = error.file === null ? null : { file: error.file, line: error.line, column: error.column };
    return { message: error.message, exitCode: 1, location, code: error.code };
  }
  // A failed system call (a full disk, a vanished file, permissions) is the machine's condition, not a bug.
  const errno = error as NodeJS.ErrnoException | null;
  if (error instanceof Error && typeof errno?.code === 'string' && typeof errno.syscall === 'string') {
    const where = typeof errno.path === 'string' ? ` ${errno.path}` : '';
    return { message: `the file operation ${errno.syscall}${where} failed (${errno.code}).`, exitCode: 1, location: null, code: null };
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
