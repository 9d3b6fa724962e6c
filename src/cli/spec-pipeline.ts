/**
 * The steps `run`, `compile` and `plan` share: read a spec, analyze it (printing every
 * diagnostic), and lower it. Returns null after printing when the spec cannot be used.
 */
import * as fs from 'node:fs';
import { formatDiagnostics, diagnosticsToJson } from '../diagnostics/format.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { analyze } from '../frontend.js';
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

export function readSpec(file: string, io: CliIO): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    io.stderr(`mlspec: cannot read ${file} (${fileErrorReason(error)}).\n`);
    return null;
  }
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
