/**
 * Syntax errors that point at their cause rather than where the parser noticed them:
 *   - an unclosed `{`, `(` or `[` is reported at its opening position (the file's end, or the
 *     bracket that closed something else, as related information), not at the end of the file;
 *   - `=` where `:` belongs (`epochs = 20`, `dense(16, activation=relu)`) says "write ':'";
 *   - YAML-style blocks (`train:` then indented lines), JSON-style files (`{ "model": ... }`)
 *     and quoted keys say how mlspec writes sections and options.
 * Comments written `/* ... *\/` are handled by the lexer (src/syntax/lex.ts).
 */
import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { Colon, Equals, Identifier, LBrace, LBracket, LParen, RBrace, RBracket, RParen, StringLiteral } from '../../grammar/tokens.js';
import { SyntaxCodes } from './codes.js';
import type { LineIndex } from './positions.js';

const closerOf = new Map([
  [LBrace, RBrace],
  [LParen, RParen],
  [LBracket, RBracket],
]);
const closers = new Set([RBrace, RParen, RBracket]);

export interface UnclosedBracket {
  /** The first bracket left open, reported at its own position. */
  diagnostic: Diagnostic;
  /** Parser errors from here on are consequences of it. */
  offset: number;
}

/**
 * The bracket that is never closed: the first one a closer of another kind runs into
 * (`dense(8, activation: relu` then `}`), else the innermost one open at the end of the file, or
 * the block whose '}' the indentation shows missing. Null when the brackets balance.
 */
export function unclosedBracket(tokens: readonly IToken[], source: string, file: string, lines: LineIndex): UnclosedBracket | null {
  const stack: IToken[] = [];
  let misaligned: IToken | null = null;
  for (const token of tokens) {
    if (closerOf.has(token.tokenType)) {
      stack.push(token);
      continue;
    }
    if (!closers.has(token.tokenType)) continue;
    const top = stack[stack.length - 1];
    if (!top) continue; // A stray closer: the parser reports it where it is.
    if (closerOf.get(top.tokenType) === token.tokenType) {
      stack.pop();
      // A '}' that starts its line left of the line that opened it closes an outer block: the inner '{' lost its '}'.
      if (token.tokenType === RBrace && !misaligned && startsLine(token, source) && indent(token, source, lines) < indent(top, source, lines)) misaligned = top;
      continue;
    }
    // A closer of another kind: if it matches an opener further down, the brackets above it were never closed.
    let match = stack.length - 1;
    while (match >= 0 && closerOf.get(stack[match]!.tokenType) !== token.tokenType) match--;
    if (match < 0) continue;
    const open = stack[match + 1]!;
    const at = lines.position(token.startOffset);
    const message = `This '${open.image}'${owner(open, tokens)} is never closed: ${quote(closerOf.get(open.tokenType)!.name)} is missing before the '${token.image}' at line ${at.line}, column ${at.column}.`;
    const found = report(SyntaxCodes.syntaxError, message, open, file, lines, []);
    found.related = [{ message: `this '${token.image}' closes the group around the '${open.image}'`, span: lines.span(token.startOffset, token.startOffset + token.image.length) }];
    return { diagnostic: found, offset: open.startOffset };
  }
  if (!stack[0]) return null;
  // The innermost open bracket is the one the end of the file interrupts; braces of one kind
  // cannot tell which block lost its '}', but the indentation can.
  const open = misaligned ?? stack[stack.length - 1]!;
  const message = `This '${open.image}'${owner(open, tokens)} is never closed: the file ends before its ${quote(closerOf.get(open.tokenType)!.name)}.`;
  const notes: string[] = [];
  const outer = stack.filter((other) => other !== open);
  if (outer.length > 0) {
    const first = lines.position(outer[0]!.startOffset);
    const where = `'${outer[0]!.image}'${owner(outer[0]!, tokens)} at ${first.line}:${first.column}`;
    notes.push(outer.length === 1 ? `the ${where} is not closed either` : `${outer.length} more brackets are not closed either, the first the ${where}`);
  }
  const found = report(SyntaxCodes.unexpectedEndOfFile, message, open, file, lines, notes);
  found.related = [{ message: `the file ends here, without the ${quote(closerOf.get(open.tokenType)!.name)}`, span: lines.span(source.length, source.length) }];
  return { diagnostic: found, offset: open.startOffset };
}

/** The column of the first character of the token's line that is not a space or tab (1-based). */
function indent(token: IToken, source: string, lines: LineIndex): number {
  const start = token.startOffset - lines.position(token.startOffset).column + 1;
  let i = start;
  while (source[i] === ' ' || source[i] === '\t') i++;
  return i - start + 1;
}

function startsLine(token: IToken, source: string): boolean {
  for (let i = token.startOffset - 1; i >= 0 && source[i] !== '\n' && source[i] !== '\r'; i--) if (source[i] !== ' ' && source[i] !== '\t') return false;
  return true;
}

const quote = (closerName: string): string => (closerName === RBrace.name ? "'}'" : closerName === RParen.name ? "')'" : "']'");

/** " of model", " of dense(...)": the name written before the bracket. */
function owner(open: IToken, tokens: readonly IToken[]): string {
  const index = tokens.indexOf(open);
  const before = tokens[index - 1];
  if (open.tokenType === LBracket || !before || before.tokenType !== Identifier) return '';
  return open.tokenType === LBrace ? ` of '${before.image}'` : ` of ${before.image}(...)`;
}

function report(code: string, message: string, token: IToken, file: string, lines: LineIndex, notes: string[]): Diagnostic {
  return diagnostic(code, 'error', message, file, lines.span(token.startOffset, token.startOffset + token.image.length), notes);
}

/**
 * A better sentence for a parser error at `found` (index `at` in `tokens`), when the tokens around
 * it show a habit from another language; null keeps the generic one.
 */
export function hintedSyntaxError(tokens: readonly IToken[], at: number, file: string, lines: LineIndex): Diagnostic | null {
  const found = tokens[at];
  if (!found) return null;
  const before = tokens[at - 1];
  const twoBefore = tokens[at - 2];
  // `key = value` / `key=value`: the error is at '=' (inside a call) or just after it.
  const equals = found.tokenType === Equals ? at : before?.tokenType === Equals ? at - 1 : -1;
  if (equals >= 1 && tokens[equals - 1]!.tokenType === Identifier) {
    const key = tokens[equals - 1]!.image;
    const value = tokens[equals + 1];
    const shown = value && value.tokenType !== Equals ? ` ${value.image}` : ' ...';
    const message = `Options are written with ':', not '=': write '${key}:${shown}'.`;
    const found = report(SyntaxCodes.syntaxError, message, tokens[equals]!, file, lines, ["'=' only names a node of the model: h = dense(8)"]);
    return { ...found, fixes: [{ title: "Write ':' instead of '='", edits: [{ span: found.span, newText: ':' }] }] };
  }
  // YAML: `train:` ends its line and the next line holds `epochs: 20`.
  if (found.tokenType === Colon && before?.tokenType === Identifier && twoBefore?.tokenType === Colon) {
    const key = tokens[at - 3];
    if (key?.tokenType === Identifier && lines.position(twoBefore.startOffset).line < lines.position(before.startOffset).line) {
      const message = `'${key.image}:' followed by indented lines is YAML; mlspec writes a section with braces: ${key.image} { ${before.image}: ... }.`;
      return report(SyntaxCodes.syntaxError, message, twoBefore, file, lines, ['indentation has no meaning in mlspec; sections are name { ... } and options name: value']);
    }
  }
  // JSON: the file starts with '{', or a key is a quoted string.
  if (at === 0 && found.tokenType === LBrace) {
    const message = "This looks like JSON; an mlspec file is a list of sections and options without outer braces, e.g. model { ... } then loss: mse.";
    return report(SyntaxCodes.syntaxError, message, found, file, lines, ['see docs/language.md for the syntax']);
  }
  if (found.tokenType === StringLiteral || found.tokenType.CATEGORIES?.includes(StringLiteral)) {
    const next = tokens[at + 1];
    if (next?.tokenType === Colon) {
      const name = found.image.replace(/^"|"$/g, '');
      const value = tokens[at + 2];
      const shown = value && value.image.length <= 20 ? value.image : '...';
      const message = `Option and section names are written without quotes: write ${/^[A-Za-z_]\w*$/.test(name) ? name : 'a name'}: ${shown}, not ${found.image}: ${shown}.`;
      return report(SyntaxCodes.syntaxError, message, found, file, lines, []);
    }
  }
  return null;
}
