/**
 * Errors a run reports to the user: one sentence, no stack trace, a documented exit code.
 * (Data problems are DataError from ./data/errors.ts; backend problems BackendUnavailableError.)
 */
export class RunError extends Error {
  constructor(
    message: string,
    /** 1: a problem with the spec, data or files; 2: a usage problem; 3: training diverged; 130: interrupted. */
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'RunError';
  }
}

/** The run was stopped with Ctrl-C and checkpointed: reported as a note, not as an error (exit 130). */
export class RunInterrupted extends RunError {
  constructor(message: string) {
    super(message, 130);
    this.name = 'RunInterrupted';
  }
}

/** "1 epoch", "2 epochs". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
