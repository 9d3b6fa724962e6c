/** Lexing with diagnostics: unexpected characters (E0001) and string problems (E0002, E0003). */
import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { mlspecLexer, UnterminatedString, TerminatedString } from '../../grammar/tokens.js';
import { SyntaxCodes } from './codes.js';
import type { LineIndex } from './positions.js';
import { decodeStringLiteral } from './string-literal.js';

export interface LexResult {
  /** Significant tokens, comments excluded. */
  tokens: IToken[];
  comments: IToken[];
  diagnostics: Diagnostic[];
}

export function lex(source: string, file: string, lines: LineIndex): LexResult {
  const result = mlspecLexer.tokenize(source);
  const diagnostics: Diagnostic[] = [];
  // A `/* ... */` comment (not mlspec syntax) is reported once, at its start; what it holds is
  // dropped so that its words do not turn into follow-on errors.
  const blocks: [number, number][] = [];
  for (const error of result.errors) {
    if (blocks.some(([from, to]) => error.offset >= from && error.offset < to)) continue;
    const text = source.slice(error.offset, error.offset + error.length);
    if (text.startsWith('/*')) {
      const close = source.indexOf('*/', error.offset + 2);
      blocks.push([error.offset, close < 0 ? source.length : close + 2]);
      diagnostics.push(
        diagnostic(SyntaxCodes.unexpectedCharacter, 'error', "Unexpected characters '/*': comments start with # or // and run to the end of the line.", file, lines.span(error.offset, error.offset + 2), [
          'write each line of a /* ... */ comment as a # comment',
        ]),
      );
      continue;
    }
    diagnostics.push(unexpectedCharacters(text, file, lines.span(error.offset, error.offset + error.length)));
  }
  const inBlock = (token: IToken): boolean => blocks.some(([from, to]) => token.startOffset >= from && token.startOffset < to);
  if (blocks.length > 0) result.tokens = result.tokens.filter((token) => !inBlock(token));
  for (const token of result.tokens) {
    if (token.tokenType !== TerminatedString && token.tokenType !== UnterminatedString) continue;
    const decoded = decodeStringLiteral(token.image);
    if (!decoded.terminated) {
      diagnostics.push(
        diagnostic(
          SyntaxCodes.unterminatedString,
          'error',
          'This string has no closing \'"\' before the end of the line.',
          file,
          lines.span(token.startOffset, token.startOffset + token.image.length),
          ['strings cannot span lines; write a line break as \\n'],
        ),
      );
    }
    for (const problem of decoded.problems) {
      diagnostics.push(
        diagnostic(
          SyntaxCodes.invalidEscape,
          'error',
          `Invalid escape '${problem.escape}' in a string.`,
          file,
          lines.span(token.startOffset + problem.start, token.startOffset + problem.end),
          ['valid escapes are \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by four hex digits'],
        ),
      );
    }
  }
  return { tokens: result.tokens, comments: result.groups['comments'] ?? [], diagnostics };
}

function unexpectedCharacters(text: string, file: string, span: Diagnostic['span']): Diagnostic {
  const count = [...text].length;
  const shown = quoteForMessage(text, 20);
  const message = count === 1 ? `Unexpected character ${shown}.` : `Unexpected characters ${shown}.`;
  return diagnostic(SyntaxCodes.unexpectedCharacter, 'error', message, file, span, hintFor(text));
}

function hintFor(text: string): string[] | undefined {
  if (text.startsWith("'")) return ['strings are written in double quotes, e.g. "data/iris.csv"'];
  if (text.startsWith(';')) return ['items are separated by new lines or commas'];
  if (text.startsWith('.')) return ['numbers need a digit before the point, e.g. 0.5'];
  if (text.startsWith('%')) return ['write ratios as fractions: 0.7 rather than 70%'];
  if (text.startsWith('-')) return ['a "- item" list is YAML; mlspec writes lists as [a, b] and layers one per line inside model { ... }'];
  if (text.startsWith('*/')) return ['comments start with # or // and run to the end of the line'];
  return undefined;
}

/** `'text'` with control and invisible characters escaped, shortened to `max` characters. */
export function quoteForMessage(text: string, max: number): string {
  const chars = [...text];
  const shortened = chars.length > max ? chars.slice(0, max).join('') + '…' : text;
  const escaped = shortened.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff\ufffd]/g, (ch) =>
    ch === '\n' ? '\\n' : ch === '\t' ? '\\t' : ch === '\r' ? '\\r' : `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return escaped.includes("'") && !escaped.includes('"') ? `"${escaped}"` : `'${escaped}'`;
}
