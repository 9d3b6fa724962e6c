/** `parse(source, file)`: the one entry point from text to the generic syntax tree. */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { mlspecParser } from '../../grammar/parser.js';
import type { SpecFile } from './ast.js';
import { SyntaxCodes } from './codes.js';
import { lex } from './lex.js';
import { limitNesting } from './nesting.js';
import { LineIndex } from './positions.js';
import { syntaxErrorDiagnostics } from './syntax-errors.js';
import { unclosedBracket } from './syntax-hints.js';
import { toAst } from './to-ast.js';

export interface ParseResult {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

/** Never throws: every problem in `source` comes back as a diagnostic. */
export function parse(source: string, file: string): ParseResult {
  const lines = new LineIndex(source);
  try {
    const lexed = lex(source, file, lines);
    const nested = limitNesting(lexed.tokens, file, lines);
    mlspecParser.input = nested.tokens;
    const cst = mlspecParser.file();
    let parseErrors = syntaxErrorDiagnostics(mlspecParser.errors, mlspecParser.strayTokens, nested.tokens, source, file, lines);
    // An unclosed bracket is reported where it opens; the parser's errors after it are its consequences.
    const unclosed = parseErrors.length > 0 ? unclosedBracket(nested.tokens, source, file, lines) : null;
    if (unclosed) parseErrors = [...parseErrors.filter((d) => d.span.start.offset < unclosed.offset), unclosed.diagnostic];
    const ast = toAst(cst, lexed.comments, source, lines);
    const diagnostics = [...lexed.diagnostics, ...nested.diagnostics, ...parseErrors].sort(
      (a, b) => a.span.start.offset - b.span.start.offset,
    );
    return { ast, diagnostics };
  } catch (error) {
    // A safety net for a parser bug: report it at the top of the file rather than crash.
    const reason = error instanceof Error ? error.message : String(error);
    const span = lines.span(0, 0);
    return {
      ast: { items: [], comments: [], span: lines.span(0, source.length) },
      diagnostics: [diagnostic(SyntaxCodes.syntaxError, 'error', `The parser failed on this file (${reason}).`, file, span)],
    };
  } finally {
    // Do not keep the last file's tokens alive in the shared parser.
    mlspecParser.input = [];
  }
}
