/**
 * `mlspec fmt FILE...`: rewrite specs in the canonical layout (formatSpec, src/syntax/format.ts),
 * keeping every comment. A file with syntax errors is never written: its errors are printed.
 * Files are replaced atomically (a temporary file in the same folder, then a rename), keeping
 * their permissions; a file that is already formatted is not touched.
 *
 *   --check   write nothing; list on stdout the files that would change; exit 1 if any would
 *   --stdout  print the formatted text instead of writing it
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/format.js';
import { formatSpec } from '../../syntax/format.js';
import { writeAllSync } from '../../runtime/atomic-write.js';
import type { CliIO } from '../cli-io.js';
import { readSpecText } from '../spec-pipeline.js';

export interface FmtCommandOptions {
  check?: boolean;
  stdout?: boolean;
}

const USAGE_ERROR = 2;

/** Replaces `file` by `text` so that a reader sees the old or the new content, never a mix; keeps the mode; follows symlinks. */
export function replaceFileAtomically(file: string, text: string): void {
  const target = fs.realpathSync(file);
  const mode = fs.statSync(target).mode & 0o7777;
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${Date.now()}.fmt.tmp`);
  try {
    const fd = fs.openSync(temp, 'wx', mode);
    try {
      writeAllSync(fd, Buffer.from(text, 'utf8'));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temp, mode);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw error;
  }
}

function readSource(file: string, io: CliIO): string | null {
  const read = readSpecText(path.resolve(io.cwd, file));
  if ('text' in read) return read.text;
  io.stderr(`mlspec fmt: cannot read ${file} (${read.reason}).\n`);
  return null;
}

export function fmtCommand(files: readonly string[], options: FmtCommandOptions, io: CliIO): number {
  if (options.check && options.stdout) {
    io.stderr('mlspec fmt: --check and --stdout cannot be combined.\n');
    return USAGE_ERROR;
  }
  let unreadable = false;
  let broken = 0;
  const changed: string[] = [];
  for (const file of files) {
    const source = readSource(file, io);
    if (source === null) {
      unreadable = true;
      continue;
    }
    const { output, diagnostics } = formatSpec(source, file);
    if (hasErrors(diagnostics)) {
      broken += 1;
      io.stderr(`${formatDiagnostics(diagnostics, new Map([[file, source]]), { color: io.color })}\n`);
      io.stderr(`mlspec fmt: ${file} has syntax errors; it was left unchanged.\n`);
      continue;
    }
    if (options.stdout) {
      io.stdout(output);
      continue;
    }
    if (output === source) continue;
    changed.push(file);
    if (options.check) {
      io.stdout(`${file}\n`);
      continue;
    }
    try {
      replaceFileAtomically(path.resolve(io.cwd, file), output);
      io.stderr(`mlspec fmt: reformatted ${file}\n`);
    } catch (error) {
      io.stderr(`mlspec fmt: cannot write ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'}); it was left unchanged.\n`);
      unreadable = true;
    }
  }

  if (!options.stdout) {
    const verb = options.check ? 'would be reformatted' : 'reformatted';
    const n = changed.length;
    io.stderr(`mlspec fmt: ${n} of ${files.length} file${files.length === 1 ? '' : 's'} ${verb}${broken > 0 ? `, ${broken} with syntax errors` : ''}.\n`);
  }
  if (unreadable) return USAGE_ERROR;
  if (broken > 0) return 1;
  return options.check && changed.length > 0 ? 1 : 0;
}

export function registerFmtCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('fmt')
    .description('rewrite specs in the canonical layout, keeping comments')
    .argument('<files...>', 'the .mlspec files')
    .option('--check', 'write nothing; list the files that would change (exit 1 if any)')
    .option('--stdout', 'print the formatted spec instead of writing the file')
    .addHelpText(
      'after',
      '\nExit status: 0 done (or, with --check, every file already formatted), 1 syntax errors or, with --check,\nfiles that would change, 2 usage error or unreadable file.\n\nExamples:\n  $ mlspec fmt examples/*.mlspec\n  $ mlspec fmt --check examples/*.mlspec\n  $ mlspec fmt --stdout examples/iris.mlspec',
    )
    .action((files: string[], options: FmtCommandOptions) => setExit(fmtCommand(files, options, io)));
}
