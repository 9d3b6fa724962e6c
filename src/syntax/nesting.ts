/**
 * Guards the recursive parser against deeply nested input (`[[[[...]]]]`): a group that would
 * nest deeper than `maxNestingDepth` is cut out of the token stream and reported once (E0006),
 * so the parser, the AST builder and the formatter never recurse without bound.
 */
import type { IToken } from 'chevrotain';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { LBrace, LBracket, LParen, RBrace, RBracket, RParen } from '../../grammar/tokens.js';
import { maxNestingDepth, SyntaxCodes } from './codes.js';
import type { LineIndex } from './positions.js';

const openers = new Set([LBrace, LBracket, LParen]);
const closers = new Set([RBrace, RBracket, RParen]);

export function limitNesting(
  tokens: IToken[],
  file: string,
  lines: LineIndex,
): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  if (!nestsTooDeep(tokens)) return { tokens, diagnostics: [] };
  const kept: IToken[] = [];
  const diagnostics: Diagnostic[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (openers.has(token.tokenType)) {
      if (depth === maxNestingDepth) {
        const end = matchingCloser(tokens, i);
        diagnostics.push(
          diagnostic(
            SyntaxCodes.nestingTooDeep,
            'error',
            `This '${token.image}' nests brackets more than ${maxNestingDepth} levels deep, which mlspec does not allow.`,
            file,
            lines.span(token.startOffset, token.startOffset + token.image.length),
          ),
        );
        i = end;
        continue;
      }
      depth++;
    } else if (closers.has(token.tokenType)) {
      depth = Math.max(0, depth - 1);
    }
    kept.push(token);
  }
  return { tokens: kept, diagnostics };
}

function nestsTooDeep(tokens: readonly IToken[]): boolean {
  let depth = 0;
  for (const token of tokens) {
    if (openers.has(token.tokenType)) {
      if (++depth > maxNestingDepth) return true;
    } else if (closers.has(token.tokenType)) depth = Math.max(0, depth - 1);
  }
  return false;
}

/** Index of the token that closes the group opened at `open`, or the last index. */
function matchingCloser(tokens: IToken[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    if (openers.has(type)) depth++;
    else if (closers.has(type) && --depth === 0) return i;
  }
  return tokens.length - 1;
}
