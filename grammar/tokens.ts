/**
 * The tokens of mlspec. Whitespace and newlines are insignificant and skipped; comments
 * (`# ...` and `// ...` to the end of the line) are kept in the `comments` group so that
 * `fmt` can put them back.
 */
import type { TokenType } from 'chevrotain';
import { createToken, Lexer } from './chevrotain.js';

export const WhiteSpace = createToken({
  name: 'WhiteSpace',
  pattern: /[ \t\f\v\r\n\u00a0\ufeff\u2028\u2029]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});

export const Comment = createToken({
  name: 'Comment',
  pattern: /(?:#|\/\/)[^\n\r]*/,
  group: 'comments',
});

export const Arrow = createToken({ name: 'Arrow', pattern: /<-/, label: "'<-'" });
export const LBrace = createToken({ name: 'LBrace', pattern: /{/, label: "'{'" });
export const RBrace = createToken({ name: 'RBrace', pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: 'RBracket', pattern: /]/, label: "']'" });
export const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
export const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
export const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });

export const NumberLiteral = createToken({
  name: 'NumberLiteral',
  pattern: /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/,
  label: 'number',
});

/**
 * Strings: the parser consumes the abstract `StringLiteral`, so a string whose closing quote is
 * missing still parses (and is reported once, as E0002) instead of derailing everything after
 * it. Any backslash escape is lexed; invalid ones are reported afterwards as E0003.
 */
export const StringLiteral = createToken({ name: 'StringLiteral', pattern: Lexer.NA, label: 'string' });
export const TerminatedString = createToken({
  name: 'TerminatedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/,
  categories: [StringLiteral],
  label: 'string',
});
export const UnterminatedString = createToken({
  name: 'UnterminatedString',
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  categories: [StringLiteral],
  label: 'string',
});

export const Identifier = createToken({
  name: 'Identifier',
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  label: 'name',
});

/** Order matters: the lexer tries these first to last. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  Arrow,
  LBrace,
  RBrace,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  NumberLiteral,
  StringLiteral,
  TerminatedString,
  UnterminatedString,
  Identifier,
];

export const mlspecLexer = new Lexer(allTokens, {
  positionTracking: 'onlyOffset',
  ensureOptimizations: false,
});
