/** The syntax diagnostic codes (documented in docs/syntax.md). Never reuse a code. */
export const SyntaxCodes = {
  unexpectedCharacter: 'E0001',
  unterminatedString: 'E0002',
  invalidEscape: 'E0003',
  syntaxError: 'E0004',
  unexpectedEndOfFile: 'E0005',
  nestingTooDeep: 'E0006',
  // E0007 (taken): a file over 256 KiB, reported by analyze() in src/frontend.ts before parsing.
} as const;

/** Brackets, braces and parentheses may nest at most this deep (the parser is recursive). */
export const maxNestingDepth = 64;
