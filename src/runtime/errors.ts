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
