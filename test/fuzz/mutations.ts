/**
 * Damage to a valid spec: tokens and lines deleted, duplicated or swapped, characters flipped,
 * numbers replaced by absurd ones, the text truncated. And raw random bytes.
 */
import fc from 'fast-check';
import { ABSURD_NUMBERS } from './values.js';

/** Tokens roughly as the lexer sees them; whitespace runs are kept so the text can be rejoined. */
export function splitTokens(text: string): string[] {
  return text.match(/"(?:[^"\\\n]|\\.)*"?|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|<-|\s+|./g) ?? [];
}

type Mutation =
  | { kind: 'delete-token' | 'duplicate-token' | 'delete-line' | 'duplicate-line' | 'flip-char' | 'truncate'; at: number; salt: number }
  | { kind: 'swap-tokens' | 'swap-lines'; at: number; other: number }
  | { kind: 'absurd-number'; at: number; number: string }
  | { kind: 'insert'; at: number; text: string };

const position = fc.nat({ max: 1 << 20 });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('delete-token', 'duplicate-token', 'delete-line', 'duplicate-line', 'flip-char', 'truncate') as fc.Arbitrary<'delete-token'>, at: position, salt: fc.nat(0xffff) }),
  fc.record({ kind: fc.constantFrom('swap-tokens', 'swap-lines') as fc.Arbitrary<'swap-tokens'>, at: position, other: position }),
  { arbitrary: fc.record({ kind: fc.constant('absurd-number' as const), at: position, number: fc.constantFrom(...ABSURD_NUMBERS) }), weight: 2 },
  fc.record({ kind: fc.constant('insert' as const), at: position, text: fc.constantFrom('{', '}', '(', ')', '[', ']', ',', ':', '=', '<-', '"', '\\', '#', '\n', 'dense(4)', 'x =', '__proto__', '\u2028', '\u0000', '\ud800') }),
);

function swap<T>(items: T[], a: number, b: number): T[] {
  if (items.length === 0) return items;
  const i = a % items.length;
  const j = b % items.length;
  const copy = [...items];
  [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  return copy;
}

function applyMutation(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const tokens = splitTokens(text);
  const tokenAt = tokens.length === 0 ? 0 : m.at % tokens.length;
  const lineAt = m.at % lines.length;
  switch (m.kind) {
    case 'delete-token':
      return tokens.filter((_, i) => i !== tokenAt).join('');
    case 'duplicate-token':
      return tokens.flatMap((t, i) => (i === tokenAt ? [t, ' ', t] : [t])).join('');
    case 'swap-tokens':
      return swap(tokens, m.at, m.other).join('');
    case 'delete-line':
      return lines.filter((_, i) => i !== lineAt).join('\n');
    case 'duplicate-line':
      return lines.flatMap((l, i) => (i === lineAt ? [l, l] : [l])).join('\n');
    case 'swap-lines':
      return swap(lines, m.at, m.other).join('\n');
    case 'flip-char': {
      if (text.length === 0) return text;
      const at = m.at % text.length;
      return text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ (1 << (m.salt % 16))) + text.slice(at + 1);
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'absurd-number': {
      const numbers = tokens.map((t, i) => (/^-?\d/.test(t) ? i : -1)).filter((i) => i >= 0);
      if (numbers.length === 0) return text;
      const target = numbers[m.at % numbers.length]!;
      return tokens.map((t, i) => (i === target ? m.number : t)).join('');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.text + text.slice(at);
    }
  }
}

/** A seed text with one to five mutations applied in turn. */
export function mutatedText(seeds: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(seeds, fc.array(mutation, { minLength: 1, maxLength: 5 })).map(([seed, ms]) => ms.reduce(applyMutation, seed));
}

/** Random bytes read as UTF-8 (invalid sequences become U+FFFD) or as Latin-1. */
export const randomBytesText: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 600 }), fc.boolean())
  .map(([bytes, utf8]) => Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1'));

/** Random strings over all of Unicode, lone surrogates included. */
export const randomUnicodeText: fc.Arbitrary<string> = fc.string({ unit: 'binary', maxLength: 300 });
