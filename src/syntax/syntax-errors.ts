/**
 * Turns Chevrotain's recognition errors into mlspec diagnostics: E0004 "Expected X after 'p',
 * but found 'f'." with the found token's span, or E0005 when the file ended too early.
 */
import type { IRecognitionException, IToken, TokenType } from 'chevrotain';
import type { StrayTokens } from '../../grammar/parser.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import {
  Arrow,
  Colon,
  Comma,
  Comment,
  Equals,
  Identifier,
  LBrace,
  LBracket,
  LParen,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
  TerminatedString,
  UnterminatedString,
} from '../../grammar/tokens.js';
import { SyntaxCodes } from './codes.js';
import { quoteForMessage } from './lex.js';
import { hintedSyntaxError } from './syntax-hints.js';
import type { LineIndex } from './positions.js';

const endOfFileName = 'EOF';
const plainWords: Record<string, string> = {
  [Identifier.name]: 'a name',
  [NumberLiteral.name]: 'a number',
  [StringLiteral.name]: 'a string',
  [TerminatedString.name]: 'a string',
  [UnterminatedString.name]: 'a string',
  [Arrow.name]: "'<-'",
  [LBrace.name]: "'{'",
  [RBrace.name]: "'}'",
  [LParen.name]: "'('",
  [RParen.name]: "')'",
  [LBracket.name]: "'['",
  [RBracket.name]: "']'",
  [Comma.name]: "','",
  [Colon.name]: "':'",
  [Equals.name]: "'='",
  [Comment.name]: 'a comment',
  [endOfFileName]: 'the end of the file',
};
const valueStarts = [NumberLiteral.name, StringLiteral.name, LBracket.name, Identifier.name];
const itemBoundaries = new Set<TokenType>([LBrace, RBrace, RParen, RBracket, NumberLiteral, TerminatedString, UnterminatedString, Identifier]);

/** One syntax error: the token found and the names of the token types that would have fitted. */
interface SyntaxError {
  found: IToken;
  expected: string[];
}

export function syntaxErrorDiagnostics(
  errors: readonly IRecognitionException[],
  strays: readonly StrayTokens[],
  tokens: readonly IToken[],
  source: string,
  file: string,
  lines: LineIndex,
): Diagnostic[] {
  const all: SyntaxError[] = [
    ...errors.map((error) => ({ found: error.token, expected: expectedNames(error.message) })),
    ...strays.map((stray) => ({ found: stray.first, expected: [stray.expected.name] })),
  ];
  if (all.length === 0) return [];
  const indexOf = new Map(tokens.map((token, index) => [token, index]));
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  // After a hint (a habit from another language) the rest of its line only repeats it.
  let hintedLine = 0;
  const offsetOf = (token: IToken): number => (Number.isNaN(token.startOffset) ? Infinity : token.startOffset);
  const ordered = [...all].sort((a, b) => (offsetOf(a.found) === offsetOf(b.found) ? 0 : offsetOf(a.found) - offsetOf(b.found)));
  for (const { found, expected: expectedTypes } of ordered) {
    const atEnd = found.tokenType?.name === endOfFileName || Number.isNaN(found.startOffset);
    if (!atEnd) {
      const line = lines.position(found.startOffset).line;
      if (line === hintedLine) continue;
      const hinted = hintedSyntaxError(tokens, indexOf.get(found) ?? indexOfOffset(tokens, found.startOffset), file, lines);
      if (hinted) {
        if (seen.has(`${hinted.span.start.offset}`)) continue;
        seen.add(`${hinted.span.start.offset}`);
        seen.add(`${found.startOffset}`);
        hintedLine = line;
        diagnostics.push(hinted);
        continue;
      }
    }
    // Chevrotain's own "previous token" can be a token it skipped while recovering; use the
    // token that really precedes the found one.
    const previous = tokenBefore(found, tokens, atEnd);
    const expected = describeExpected(expectedTypes, previous, indexOf, tokens, atEnd);
    const after = previous ? ` after ${quoteForMessage(previous.image, 20)}` : '';
    const foundWords = atEnd ? 'the end of the file' : quoteForMessage(found.image, 20);
    const message = `Expected ${expected}${after}, but found ${foundWords}.`;
    const span = atEnd
      ? lines.span(endOf(previous, source), endOf(previous, source))
      : lines.span(found.startOffset, found.startOffset + found.image.length);
    // Recovery can report the same token twice (in a list and again in the item loop): keep the first.
    const key = atEnd ? `end:${message}` : `${found.startOffset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic(atEnd ? SyntaxCodes.unexpectedEndOfFile : SyntaxCodes.syntaxError, 'error', message, file, span));
  }
  return diagnostics;
}

function indexOfOffset(tokens: readonly IToken[], offset: number): number {
  return tokens.findIndex((token) => token.startOffset === offset);
}

/** The last real token before `found` (for errors Chevrotain reports without one). */
function tokenBefore(found: IToken, tokens: readonly IToken[], atEnd: boolean): IToken | undefined {
  if (atEnd) return tokens[tokens.length - 1];
  let low = 0;
  let high = tokens.length - 1;
  let best: IToken | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (tokens[mid]!.startOffset < found.startOffset) {
      best = tokens[mid];
      low = mid + 1;
    } else high = mid - 1;
  }
  return best;
}

function endOf(token: IToken | undefined, source: string): number {
  return token ? token.startOffset + token.image.length : source.length;
}

function expectedNames(message: string): string[] {
  try {
    const parsed = JSON.parse(message) as { expected?: unknown };
    if (Array.isArray(parsed.expected)) return parsed.expected.filter((name): name is string => typeof name === 'string');
  } catch {
    // Not one of ours: fall through to a generic description.
  }
  return [];
}

function describeExpected(
  names: string[],
  previous: IToken | undefined,
  indexOf: Map<IToken, number>,
  tokens: readonly IToken[],
  atEnd: boolean,
): string {
  const unique = [...new Set(names)];
  if (atEnd && unique.length === 1 && unique[0] === RBrace.name) return "'}'";
  // Errors at the end of a list of items: what could come next is another item or its end.
  if (unique.length === 1 && (unique[0] === endOfFileName || unique[0] === RBrace.name)) {
    if (previous && isBareItemHead(previous, indexOf, tokens)) return "':' or '{'";
    if (!previous) return unique[0] === RBrace.name ? "an item or '}'" : 'an item';
    return unique[0] === RBrace.name ? "another item or '}'" : 'another item or the end of the file';
  }
  const words: string[] = [];
  if (valueStarts.every((name) => unique.includes(name))) words.push('a value');
  for (const name of unique) {
    if (words.includes('a value') && valueStarts.includes(name)) continue;
    const word = plainWords[name] ?? name;
    if (!words.includes(word)) words.push(word);
  }
  if (words.length === 0) return 'something else';
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/** True for a name that began an item and was not followed by ':', '{', '=', '(' or '<-'. */
function isBareItemHead(token: IToken, indexOf: Map<IToken, number>, tokens: readonly IToken[]): boolean {
  if (token.tokenType !== Identifier) return false;
  const index = indexOf.get(token);
  if (index === undefined) return false;
  const before = tokens[index - 1];
  if (!before) return true;
  if (itemBoundaries.has(before.tokenType)) return true;
  if (before.tokenType !== Comma) return false;
  // `<- a, b` lists inputs; `x: 1, b` separates items.
  let j = index - 1;
  while (tokens[j]?.tokenType === Comma && tokens[j - 1]?.tokenType === Identifier) j -= 2;
  return tokens[j]?.tokenType !== Arrow;
}
