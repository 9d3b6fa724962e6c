/** Decoding of string literals with JSON escapes, reporting each invalid escape. */

export interface StringLiteralProblem {
  /** Offsets relative to the start of the literal (its opening quote). */
  start: number;
  end: number;
  escape: string;
}

export interface DecodedString {
  value: string;
  terminated: boolean;
  problems: StringLiteralProblem[];
}

const simpleEscapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** `literal` is the token text, starting with `"`; it may lack its closing quote. */
export function decodeStringLiteral(literal: string): DecodedString {
  const terminated = literal.length >= 2 && literal.endsWith('"') && !endsInEscapedQuote(literal);
  const bodyEnd = terminated ? literal.length - 1 : literal.length;
  const problems: StringLiteralProblem[] = [];
  let value = '';
  let i = 1;
  while (i < bodyEnd) {
    const ch = literal[i]!;
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    const next = literal[i + 1];
    if (next === undefined || i + 1 >= bodyEnd) {
      problems.push({ start: i, end: i + 1, escape: '\\' });
      i++;
      continue;
    }
    if (next in simpleEscapes) {
      value += simpleEscapes[next];
      i += 2;
      continue;
    }
    if (next === 'u') {
      const hex = literal.slice(i + 2, Math.min(i + 6, bodyEnd));
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      const digits = /^[0-9a-fA-F]*/.exec(hex)![0];
      problems.push({ start: i, end: i + 2 + digits.length, escape: literal.slice(i, i + 2 + digits.length) });
      value += 'u' + digits;
      i += 2 + digits.length;
      continue;
    }
    // Keep the character after an invalid backslash so the value stays close to what was meant.
    const width = next.codePointAt(0)! > 0xffff ? 2 : 1;
    problems.push({ start: i, end: i + 1 + width, escape: literal.slice(i, i + 1 + width) });
    value += literal.slice(i + 1, i + 1 + width);
    i += 1 + width;
  }
  return { value, terminated, problems };
}

/** True when the final quote is itself escaped, e.g. `"abc\"` (an unterminated string). */
function endsInEscapedQuote(literal: string): boolean {
  let backslashes = 0;
  for (let i = literal.length - 2; i >= 1 && literal[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}
