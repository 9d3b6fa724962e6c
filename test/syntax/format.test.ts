import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSpec } from '../../src/syntax/format.js';
import { parse } from '../../src/syntax/parse.js';

const examplesDir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.mlspec'));

const fmt = (source: string) => {
  const result = formatSpec(source, 't.mlspec');
  expect(result.diagnostics).toEqual([]);
  return result.output;
};

/** The AST without spans (and without the literal text of strings, which fmt re-escapes). */
function shape(source: string): unknown {
  const { ast, diagnostics } = parse(source, 't.mlspec');
  expect(diagnostics).toEqual([]);
  return JSON.parse(JSON.stringify(ast.items, (key, value: unknown) => (key === 'span' ? undefined : value)), (key, value: unknown) =>
    key === 'text' && typeof value === 'string' && value.startsWith('"') ? undefined : value,
  );
}

const commentTexts = (source: string) => parse(source, 't.mlspec').ast.comments.map((c) => c.text.trimEnd()).sort();

function expectFormatInvariants(source: string): string {
  const output = fmt(source);
  expect(fmt(output)).toBe(output);
  expect(shape(output)).toEqual(shape(source));
  expect(commentTexts(output)).toEqual(commentTexts(source));
  return output;
}

describe('formatSpec on the examples', () => {
  it.each(examples)('%s: idempotent, keeps every comment and the AST', (name) => {
    const source = readFileSync(join(examplesDir, name), 'utf8');
    const output = expectFormatInvariants(source);
    expect(output.endsWith('\n') && !output.endsWith('\n\n')).toBe(true);
  });

  it.each(examples)('%s: a scrambled copy formats back to the formatted example', (name) => {
    const formatted = fmt(readFileSync(join(examplesDir, name), 'utf8'));
    // Same tokens, different layout: extra spaces, no indentation, trailing blank lines.
    const scrambled = formatted
      .split('\n')
      .map((line) => line.trimStart())
      .map((line) => (/#|\/\//.test(line) ? line : line.replace(/, /g, ' ,  ').replace(/: /g, ':').replace(/\(/g, ' ( ')))
      .join('\n')
      .concat('\n\n\n');
    expect(fmt(scrambled)).toBe(formatted);
  });
});

describe('formatSpec layout', () => {
  it('indents with two spaces and puts one item per line', () => {
    expect(fmt('model { input(shape:[4])  dense( 16 , activation : relu ) }\nloss:mse')).toBe(
      'model {\n  input(shape: [4])\n  dense(16, activation: relu)\n}\nloss: mse\n',
    );
  });

  it('keeps top-level sections multi-line and short nested property sections on one line', () => {
    expect(fmt('train { epochs: 1 }\ndata { split {\n train: 0.7,\n validation: 0.15\n test: 0.15\n } }')).toBe(
      'train {\n  epochs: 1\n}\ndata {\n  split { train: 0.7, validation: 0.15, test: 0.15 }\n}\n',
    );
  });

  it('splits a nested section that is too long, holds a section or has comments', () => {
    const long = `d { s { a: ${'1'.repeat(40)}, b: ${'2'.repeat(40)} } }`;
    expect(fmt(long)).toBe(`d {\n  s {\n    a: ${'1'.repeat(40)}\n    b: ${'2'.repeat(40)}\n  }\n}\n`);
    expect(fmt('d { s { t { a: 1 } } }')).toBe('d {\n  s {\n    t { a: 1 }\n  }\n}\n');
    expect(fmt('d { s { a: 1 # one\n } }')).toBe('d {\n  s {\n    a: 1 # one\n  }\n}\n');
    expect(fmt('d { s { flatten } }')).toBe('d {\n  s {\n    flatten\n  }\n}\n');
  });

  it('allows exactly 80 columns on one line', () => {
    // "  s { a: " is 9 columns and " }" is 2: a 69-digit number makes the line 80 columns.
    const fits = `d { s { a: ${'9'.repeat(69)} } }`;
    expect(fmt(fits).split('\n')[1]).toHaveLength(80);
    const tooLong = `d { s { a: ${'9'.repeat(70)} } }`;
    expect(fmt(tooLong).split('\n')[1]).toBe('  s {');
  });

  it('keeps blank lines between items, collapsed to one, and none at the start or end of a block', () => {
    expect(fmt('\n\na: 1\n\n\n\nb: 2\nc: 3\nm {\n\n  x: 1\n\n\n  y: 2\n\n}\n\n\n')).toBe('a: 1\n\nb: 2\nc: 3\nm {\n  x: 1\n\n  y: 2\n}\n');
  });

  it('prints numbers as written, strings canonically, calls, lists and statements', () => {
    expect(fmt('a: 1e-3\nb: -0.50\nc: 2.5E+4')).toBe('a: 1e-3\nb: -0.50\nc: 2.5E+4\n');
    expect(fmt('s: "a\\/b\\u0041\\t\\"q\\"\\\\"')).toBe('s: "a/bA\\t\\"q\\"\\\\"\n');
    expect(fmt('s: "\\u0001"')).toBe('s: "\\u0001"\n');
    expect(fmt('o: adam( lr : 0.01 , )\nl: [ 1 ,2, [ ] , ]')).toBe('o: adam(lr: 0.01)\nl: [1, 2, []]\n');
    expect(fmt('m { h=dense(16)<-x\nsum  =  add <-h ,r\nconcat<-a,b }')).toBe('m {\n  h = dense(16) <- x\n  sum = add <- h, r\n  concat <- a, b\n}\n');
  });

  it('keeps bare layers bare and empty calls empty', () => {
    expect(fmt('m { flatten\nflatten()\ny = flatten }')).toBe('m {\n  flatten\n  flatten()\n  y = flatten\n}\n');
  });

  it('ends the file with exactly one newline; an empty file stays empty', () => {
    expect(fmt('a: 1')).toBe('a: 1\n');
    expect(fmt('a: 1\n\n\n')).toBe('a: 1\n');
    expect(fmt('')).toBe('');
    expect(fmt('  \n\n')).toBe('');
    expect(fmt('# only a comment')).toBe('# only a comment\n');
  });

  it('returns a file with syntax errors unchanged, with its diagnostics', () => {
    const broken = 'model {  dense(64\nloss 64\n';
    const result = formatSpec(broken, 'b.mlspec');
    expect(result.output).toBe(broken);
    // The unclosed '(' of dense is the cause; the parser's errors after it are not repeated.
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E0005']);
    expect(result.diagnostics[0]!.file).toBe('b.mlspec');
  });
});

describe('formatSpec comments', () => {
  it('keeps own-line comments above the item they precede, with their blank lines', () => {
    expect(fmt('# file\n\n# about a\na: 1\n\n   // about b\nb: 2\n# at the end\n')).toBe(
      '# file\n\n# about a\na: 1\n\n// about b\nb: 2\n# at the end\n',
    );
  });

  it('keeps trailing comments at the end of their line', () => {
    expect(fmt('a: 1   # one\nm { # open\n  x: 2 // two\n} # close\n')).toBe('a: 1 # one\nm { # open\n  x: 2 // two\n} # close\n');
  });

  it('keeps comments before a closing brace inside the block', () => {
    expect(fmt('m {\n  x: 1\n\n  # last words\n}\n')).toBe('m {\n  x: 1\n\n  # last words\n}\n');
    expect(fmt('m {\n  # alone\n}\n')).toBe('m {\n  # alone\n}\n');
  });

  it('moves comments from inside a multi-line call above it, keeping one at the end of the line', () => {
    expect(fmt('m {\n  dense(16, # units\n    # why relu\n    activation: relu)\n}\n')).toBe(
      'm {\n  # why relu\n  dense(16, activation: relu) # units\n}\n',
    );
    expect(fmt('m {\n  dense(16, # units\n    activation: relu) # act\n}\n')).toBe('m {\n  # units\n  dense(16, activation: relu) # act\n}\n');
  });

  it('moves a comment between a section name and its brace to the brace line', () => {
    expect(fmt('m # the model\n{\n  x: 1\n}\n')).toBe('m { # the model\n  x: 1\n}\n');
  });

  it('strips trailing whitespace from comments', () => {
    expect(fmt('a: 1 # one   \n')).toBe('a: 1 # one\n');
  });
});

describe('formatSpec on generated specs', () => {
  const name = fc.constantFrom('a', 'loss', 'dense', 'x_1', 'relu', 'model', 'split');
  const leaf = fc.oneof(
    fc.constantFrom('1', '-0.5', '1e-3', '2.5E+4', '0'),
    fc.constantFrom('""', '"a b"', '"q\\"\\n"', '"\\u00e9"'),
    name,
  );
  const value: fc.Arbitrary<string[]> = fc.letrec<{ value: string[] }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf.map((token) => [token]),
      fc.array(tie('value'), { maxLength: 3 }).map((items) => ['[', ...items.flatMap((item, i) => (i === 0 ? item : [',', ...item])), ']']),
      fc
        .tuple(name, fc.array(fc.tuple(fc.option(name), tie('value')), { maxLength: 3 }))
        .map(([callee, args]) => [
          callee,
          '(',
          ...args.flatMap(([key, v], i) => [...(i === 0 ? [] : [',']), ...(key ? [key, ':'] : []), ...v]),
          ')',
        ]),
    ),
  })).value;
  const statement = fc
    .tuple(fc.option(name), name, fc.option(fc.array(fc.tuple(fc.option(name), value), { maxLength: 2 })), fc.option(fc.array(name, { minLength: 1, maxLength: 3 })))
    .map(([target, callee, args, inputs]) => [
      ...(target ? [target, '='] : []),
      callee,
      ...(args ? ['(', ...args.flatMap(([key, v], i) => [...(i === 0 ? [] : [',']), ...(key ? [key, ':'] : []), ...v]), ')'] : []),
      ...(inputs ? ['<-', ...inputs.flatMap((input, i) => (i === 0 ? [input] : [',', input]))] : []),
    ]);
  const item: fc.Arbitrary<string[]> = fc.letrec<{ item: string[] }>((tie) => ({
    item: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(name, value).map(([key, v]) => [key, ':', ...v]),
      statement,
      fc.tuple(name, fc.array(tie('item'), { maxLength: 4 })).map(([key, items]) => [key, '{', ...items.flatMap((i) => [...i, '\n']), '}']),
    ),
  })).item;
  const separator = fc.constantFrom(' ', '  ', '\n', '\n\n\n', ' # c1\n', '\n// c2\n', '\t', '\n  # c3\n\n');
  const spec = fc
    .tuple(fc.array(item, { maxLength: 5 }), fc.infiniteStream(separator))
    .map(([items, separators]) => {
      const tokens = items.flatMap((i) => [...i, '\n']);
      const iterator = separators[Symbol.iterator]();
      return tokens.map((token) => token + (token === '\n' ? '' : iterator.next().value)).join('');
    });

  it('formatting is idempotent, keeps every comment and never changes the AST', () => {
    fc.assert(
      fc.property(spec, (source) => {
        // A generated statement's inputs may run into the next item; only check what parses.
        fc.pre(parse(source, 't').diagnostics.length === 0);
        expectFormatInvariants(source);
      }),
      { numRuns: 400 },
    );
  });
});
