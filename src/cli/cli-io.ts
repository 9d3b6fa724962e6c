/**
 * Where a command writes: data on stdout, messages on stderr, colours only on a terminal
 * and never with NO_COLOR. Tests pass their own CliIO to capture output.
 */
export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Use ANSI colours in messages. */
  color: boolean;
  /** stderr is a terminal (progress bars, which go to stderr). */
  interactive: boolean;
  cwd: string;
}

export function processIO(): CliIO {
  const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    color: !noColor && Boolean(process.stderr.isTTY),
    interactive: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** Why a file could not be read or written, in words, from a Node error (its errno code). */
export function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    // mkdir -p through a regular file fails with EEXIST (the file is there) or ENOTDIR.
    case 'EEXIST':
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return code ?? 'unreadable';
  }
}
