/**
 * Turns what a run can throw into one sentence and an exit code, so that neither `mlspec run`
 * nor a compiled program ever shows a stack trace for a problem the user can fix.
 */
import { BackendUnavailableError } from './backend.js';
import { DataError } from './data/errors.js';
import { RunError, RunInterrupted } from './errors.js';
import { terminalSafe } from './safe-text.js';

export interface RunFailure {
  message: string;
  exitCode: number;
  /** file:line:column of a data problem, when known. */
  location: { file: string; line: number | null; column: number | null } | null;
  code: string | null;
  /** Further problems found with this one (every missing column, the first bad cells), in the same shape. */
  others: RunFailure[];
  /** Problems found beyond those listed. */
  unlisted: number;
  /** False for what is not an error (Ctrl-C): the message is then printed without "error:". */
  isError?: boolean;
}

/**
 * The failure as text, one line per problem: `file:line:column: error[CODE]: message`, or
 * `<prefix>: error: message` where the problem has no file; a last line counts unlisted ones.
 */
export function formatRunFailure(failure: RunFailure, prefix: string): string {
  const line = (f: RunFailure): string => {
    const where = f.location
      ? `${f.location.file}${f.location.line ? `:${f.location.line}` : ''}${f.location.column ? `:${f.location.column}` : ''}: `
      : `${prefix}: `;
    if (f.isError === false) return `${where}${f.message}\n`;
    return `${where}error${f.code ? `[${f.code}]` : ''}: ${f.message}\n`;
  };
  const more = failure.unlisted > 0 ? `${prefix}: ... and ${failure.unlisted} more ${failure.unlisted === 1 ? 'problem' : 'problems'} of this kind in the data.\n` : '';
  return [failure, ...failure.others].map(line).join('') + more;
}

/** What a run can throw, as RunFailure, its texts made safe for a terminal (safe-text.ts). */
export function describeRunFailure(error: unknown): RunFailure {
  const safe = (f: RunFailure): RunFailure => ({
    ...f,
    message: terminalSafe(f.message),
    location: f.location === null ? null : { ...f.location, file: terminalSafe(f.location.file) },
    others: f.others.map(safe),
  });
  return safe(describeRunFailureText(error));
}

function describeRunFailureText(error: unknown): RunFailure {
  if (error instanceof RunInterrupted) return { message: error.message, exitCode: 130, location: null, code: null, others: [], unlisted: 0, isError: false };
  if (error instanceof RunError) return { message: error.message, exitCode: error.exitCode, location: null, code: null, others: [], unlisted: 0 };
  if (error instanceof BackendUnavailableError) return { message: error.message, exitCode: 2, location: null, code: null, others: [], unlisted: 0 };
  if (error instanceof DataError) {
    const one = (e: DataError): RunFailure => ({
      message: e.message,
      exitCode: 1,
      location: e.file === null ? null : { file: e.file, line: e.line, column: e.column },
      code: e.code,
      others: [],
      unlisted: 0,
    });
    return { ...one(error), others: error.others.map(one), unlisted: error.unlisted };
  }
  // A failed system call (a full disk, a vanished file, permissions) is the machine's condition, not a bug.
  const errno = error as NodeJS.ErrnoException | null;
  if (error instanceof Error && typeof errno?.code === 'string' && typeof errno.syscall === 'string') {
    const where = typeof errno.path === 'string' ? ` ${errno.path}` : '';
    return { message: `the file operation ${errno.syscall}${where} failed (${errno.code}).`, exitCode: 1, location: null, code: null, others: [], unlisted: 0 };
  }
  const message = error instanceof Error ? error.message : String(error);
  // Anything else is a bug in mlspec or tfjs: say so, without a stack trace unless asked for.
  const detail = process.env.MLSPEC_DEBUG && error instanceof Error && error.stack ? `\n${error.stack}` : '';
  return {
    message: `internal error: ${message} (please report this with the spec; set MLSPEC_DEBUG=1 for details)${detail}`,
    exitCode: 70,
    location: null,
    code: null,
    others: [],
    unlisted: 0,
  };
}
