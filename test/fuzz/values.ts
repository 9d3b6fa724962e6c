/**
 * Arbitraries for the text of single values in a spec: numbers (plausible and absurd), strings
 * (plain and hostile), names (including JavaScript's special property names) and lists.
 * Everything here produces source text, not values: the fuzzer feeds text to the front end.
 */
import fc from 'fast-check';

/** Numbers a spec author (or a typo) could write, from sensible to absurd; some do not even lex. */
export const ABSURD_NUMBERS = [
  '0', '-1', '-0', '1e9', '1000000000', '1e6', '1000000', '1e308', '1e999', '-1e999', '99999999999999999999',
  '4294967296', '2147483648', '9007199254740993', '1e-320', '0.0000001', '1.5', '-2.5', '0.999999', '1.0000001',
  'NaN', 'Infinity', '-Infinity', 'nan', 'inf', '1_000', '0x10', '.5', '5.', '--1', '1e', '+1', '1e+', '00012',
] as const;

/** Small numbers as text: the common, plausible case. */
export const smallInt = (min = 1, max = 8): fc.Arbitrary<string> => fc.integer({ min, max }).map(String);
export const smallFraction: fc.Arbitrary<string> = fc.constantFrom('0', '0.1', '0.25', '0.5', '0.9', '0.99', '1', '0.001', '1e-3');

/** An integer: mostly small, sometimes absurd. */
export const intText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: smallInt(1, 16) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 2, arbitrary: fc.constantFrom(...ABSURD_NUMBERS) },
);

/** A real number: mostly ordinary, sometimes absurd. */
export const numberText: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: smallFraction },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => String(d)) },
  { weight: 2, arbitrary: fc.constantFrom(...ABSURD_NUMBERS) },
);

/** Identifiers that are special to JavaScript objects, classes or the emitted program. */
export const HOSTILE_NAMES = [
  'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', 'class', 'default', 'function',
  'this', 'import', 'process', 'require', 'plan', 'tf', 'runProgram', 'programFolder', 'undefined', 'NaN', 'Infinity',
  '_', '__', '$', 'await', 'let', 'yield', 'eval', 'arguments',
] as const;

/** Names a spec author would write, and names that probe the implementation. */
export const nameText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('x', 'h', 'h1', 'h2', 'out', 'logits', 'a', 'b', 'skip', 'tokens') },
  { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_NAMES).filter((n) => /^[A-Za-z_]/.test(n)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/) },
  { weight: 1, arbitrary: fc.integer({ min: 65, max: 5000 }).map((n) => `n${'a'.repeat(n)}`) },
);

/** String contents (already escaped for an mlspec string literal, without the quotes). */
export const HOSTILE_STRING_BODIES = [
  '', 'data/iris.csv', '../data/iris.csv', 'data/../data/iris.csv', '../../etc/passwd', '/etc/passwd', '/dev/zero',
  '/proc/self/mem', 'data', '.', '..', 'nope.csv', '${process.exit(1)}', '`; process.exit(1); `', '*/ process.exit(1) /*',
  '\\"); process.exit(1); (\\"', "'); process.exit(1); ('", '\\n', '\\r\\n', '\\u2028', '\\u2029', '\\u0000',
  '\\ud800', '\\uffff', '\\t\\b\\f', '\\\\', '\\/', 'species', 'x1', 'constructor', '__proto__',
] as const;

export const stringBody: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...HOSTILE_STRING_BODIES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }).map(escapeForSpec) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }).map(escapeForSpec) },
  // Invalid escapes and raw control characters: lexing problems, not crashes.
  { weight: 1, arbitrary: fc.constantFrom('\\q', '\\u12', '\\x41', '\\', '\t') },
  { weight: 1, arbitrary: fc.integer({ min: 100, max: 3000 }).map((n) => 'p'.repeat(n)) },
);

export const stringText: fc.Arbitrary<string> = stringBody.map((body) => `"${body}"`);

/** JSON escaping is the string syntax of mlspec. */
export function escapeForSpec(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

/** A list of items; sometimes empty, sometimes huge. */
export function listText(item: fc.Arbitrary<string>, hugeItem = '1'): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(item, { minLength: 0, maxLength: 4 }).map((items) => `[${items.join(', ')}]`) },
    { weight: 1, arbitrary: fc.constantFrom(1000, 1000, 1000, 20_000).map((n) => `[${Array.from({ length: n }, () => hugeItem).join(', ')}]`) },
  );
}
