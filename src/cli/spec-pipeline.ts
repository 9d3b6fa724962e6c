/**
 * The steps `run`, `compile` and `plan` share: read a spec, analyze it (printing every
 * diagnostic), and lower it. Returns null after printing when the spec cannot be used.
 */
import { formatDiagnostics, diagnosticsToJson } from '../diagnostics/format.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { analyze, MAX_SOURCE_BYTES } from '../frontend.js';
import { FileReadError, readRegularText, systemFileKind } from '../runtime/safe-read.js';
import type { SpecIR } from '../ir/types.js';
import { lowerSpec } from '../lower/lower.js';
import { withOverrides } from './overrides.js';
import type { PlanDescription } from '../lower/plan-description.js';
import { fileErrorReason, type CliIO } from './cli-io.js';

export interface LoadedSpec {
  file: string;
  source: string;
  ir: SpecIR;
  plan: PlanDescription;
}

/**
 * The most bytes read from a spec file: a bigger regular file is refused before it is read whole;
 * up to this size, analyze() reports E0007 with the file's size when it is over MAX_SOURCE_BYTES.
 * FIFOs, devices (`/dev/zero`), sockets and folders are refused before a byte is read.
 */
export const MAX_SPEC_READ_BYTES = 4 * MAX_SOURCE_BYTES;

/** A spec file's text, or the reason it cannot be read, in words. */
export function readSpecText(file: string): { text: string } | { reason: string } {
  try {
    // A system file (/proc/self/environ, /dev/...) is never a spec; its text must not reach the terminal in diagnostics.
    const system = systemFileKind(file);
    if (system !== null) return { reason: `it is ${system}, not a spec` };
    const text = readRegularText(file, MAX_SPEC_READ_BYTES);
    if (text.includes('\0')) return { reason: 'it holds NUL bytes, so it is not a text file' };
    return { text };
  } catch (error) {
    return { reason: error instanceof FileReadError ? error.reason : fileErrorReason(error) };
  }
}

export function readSpec(file: string, io: CliIO, command = 'mlspec'): string | null {
  const read = readSpecText(file);
  if ('text' in read) return read.text;
  io.stderr(`${command}: cannot read ${file} (${read.reason}).\n`);
  return null;
}

/** Reads, applies --set, analyzes and lowers a spec; prints diagnostics. Returns the exit code on failure. */
export function loadSpec(
  file: string,
  io: CliIO,
  options: { format?: 'text' | 'json'; maxParams?: number; sets?: readonly string[]; command?: string } = {},
): LoadedSpec | number {
  const read = readSpec(file, io);
  if (read === null) return 2;
  const source = withOverrides(read, options.sets, io, options.command ?? 'run');
  if (typeof source === 'number') return source;
  const { ir, diagnostics } = analyze(source, file, { maxParams: options.maxParams });
  if (diagnostics.length > 0) {
    if (options.format === 'json') io.stdout(`${diagnosticsToJson(diagnostics)}\n`);
    else io.stderr(`${formatDiagnostics(diagnostics, new Map([[file, source]]), { color: io.color })}\n`);
  }
  if (!ir || hasErrors(diagnostics)) return 1;
  return { file, source, ir, plan: lowerSpec(ir, source) };
}
