/**
 * One analysed version of a document: the syntax tree (recovered where the text is broken), the
 * diagnostics exactly as `mlspec check` reports them (data files included), and the partial IR
 * with inferred shapes for hover. Computed once per version and shared by every request.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { analyze } from '../frontend.js';
import { buildIR, type PartialSpecIR } from '../ir/build.js';
import { inferShapes, type ShapeInference } from '../ir/shapes.js';
import type { SpecFile } from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';

export interface Analysis {
  text: string;
  /** The file path the document stands for (data paths resolve against its folder). */
  file: string;
  ast: SpecFile;
  diagnostics: Diagnostic[];
  /** The parts of the IR that could be built (null after syntax errors). */
  ir: PartialSpecIR | null;
  shapes: ShapeInference | null;
}

export function analyzeDocument(text: string, file: string): Analysis {
  const parsed = parse(text, file);
  const { diagnostics } = analyze(text, file, { baseDir: path.dirname(file) });
  let ir: PartialSpecIR | null = null;
  let shapes: ShapeInference | null = null;
  if (!parsed.diagnostics.some((d) => d.severity === 'error')) {
    ir = buildIR(parsed.ast, file).partial;
    shapes = ir.model ? inferShapes(ir.model, file) : null;
  }
  return { text, file, ast: parsed.ast, diagnostics, ir, shapes };
}
