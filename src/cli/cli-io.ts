/**
 * Where a command writes: data on stdout, messages on stderr, colours only on a terminal
 * and never with NO_COLOR. Tests pass their own CliIO to capture output.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Use ANSI colours in messages. */
  color: boolean;
  /** stdout is a terminal (progress bars). */
  interactive: boolean;
  cwd: string;
}

export function processIO(): CliIO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: !noColor && Boolean(process.stderr.isTTY),
    interactive: Boolean(process.stdout.isTTY),
    cwd: process.cwd(),
  };
}
