/**
 * The front end in one call: parse, build the IR, run the semantic checks. Checks run only on a
 * file that parses and builds into an IR; diagnostics come back sorted by position.
 */
import * as path from 'node:path';
import { hasErrors, type Diagnostic } from './diagnostics/diagnostic.js';
import { checkSpec } from './checks/index.js';
import { buildIR } from './ir/build.js';
import type { SpecIR } from './ir/types.js';
import { parse } from './syntax/parse.js';

export interface AnalyzeOptions {
  /** Largest model allowed, in parameters (default 100,000,000). */
  maxParams?: number;
  /** Folder data paths are relative to; defaults to the spec file's folder. */
  baseDir?: string;
}

export function analyze(source: string, file: string, options: AnalyzeOptions = {}): { ir: SpecIR | null; diagnostics: Diagnostic[] } {
  const parsed = parse(source, file);
  // After a syntax error the tree is partial: building it would report follow-on problems
  // (a "missing" section that is really misspelled), so only the syntax errors are shown.
  if (hasErrors(parsed.diagnostics)) return { ir: null, diagnostics: sortDiagnostics(parsed.diagnostics) };
  const built = buildIR(parsed.ast, file);
  const diagnostics = [...parsed.diagnostics, ...built.diagnostics];
  if (built.ir) {
    diagnostics.push(...checkSpec(built.ir, { file, baseDir: options.baseDir ?? path.dirname(file), maxParams: options.maxParams }));
  }
  return { ir: built.ir, diagnostics: sortDiagnostics(diagnostics) };
}

/** By file, then position, then code; stable for equal keys. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.span.start.line - b.span.start.line ||
      a.span.start.column - b.span.start.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}
