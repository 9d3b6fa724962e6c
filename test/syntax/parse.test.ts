import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CallValue, Property, Section, Statement } from '../../src/syntax/ast.js';
import { parse } from '../../src/syntax/parse.js';

const examplesDir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.mlspec'));

const codes = (source: string) => parse(source, 't.mlspec').diagnostics.map((d) => d.code);

describe('parse: the examples', () => {
  it.each(examples)('%s parses without diagnostics', (name) => {
    const { ast, diagnostics } = parse(readFileSync(join(examplesDir, name), 'utf8'), name);
    expect(diagnostics).toEqual([]);
    expect(ast.items.map((item) => item.kind)).toContain('section');
    expect(ast.comments.length).toBeGreaterThan(0);
  });
});

describe('parse: items', () => {
  it('reads properties, sections and the three statement shapes', () => {
    const { ast, diagnostics } = parse(
      'model {\n  flatten\n  dense(64, activation: relu)\n  h = dense(16) <- x\n  sum = add <- h, r\n  output: sum\n}\nloss: mse',
      'f',
    );
    expect(diagnostics).toEqual([]);
    const model = ast.items[0] as Section;
    expect(model.kind).toBe('section');
    expect(model.key.name).toBe('model');
    const [flatten, dense, h, sum, output] = model.items as [Statement, Statement, Statement, Statement, Property];
    expect(flatten).toMatchObject({ kind: 'statement', name: null, call: { kind: 'ident', name: 'flatten' }, inputs: null });
    expect(dense.call.kind).toBe('call');
    const denseCall = dense.call as CallValue;
    expect(denseCall.callee.name).toBe('dense');
    expect(denseCall.args.map((a) => [a.name?.name ?? null, a.value.kind])).toEqual([
      [null, 'number'],
      ['activation', 'ident'],
    ]);
    expect(h.name?.name).toBe('h');
    expect(h.inputs?.map((i) => i.name)).toEqual(['x']);
    expect(sum).toMatchObject({ name: { name: 'sum' }, call: { kind: 'ident', name: 'add' } });
    expect(sum.inputs?.map((i) => i.name)).toEqual(['h', 'r']);
    expect(output).toMatchObject({ kind: 'property', key: { name: 'output' }, value: { kind: 'ident', name: 'sum' } });
    expect(ast.items[1]).toMatchObject({ kind: 'property', key: { name: 'loss' } });
  });

  it('accepts commas between items on one line', () => {
    const { ast, diagnostics } = parse('split { train: 0.7, validation: 0.15, test: 0.15 }', 'f');
    expect(diagnostics).toEqual([]);
    const split = ast.items[0] as Section;
    expect(split.items.map((item) => (item as Property).key.name)).toEqual(['train', 'validation', 'test']);
  });

  it('ends an input list at a comma followed by a new item', () => {
    for (const next of ['z: 1', 'z = dense(1)', 'z(1)', 'z { }', 'z <- a']) {
      const { ast, diagnostics } = parse(`m { s = add <- h, r, ${next} }`, 'f');
      expect(diagnostics).toEqual([]);
      const items = (ast.items[0] as Section).items;
      expect(items).toHaveLength(2);
      expect((items[0] as Statement).inputs?.map((i) => i.name)).toEqual(['h', 'r']);
    }
  });

  it('reads an unnamed layer with inputs and a named bare layer', () => {
    const { ast, diagnostics } = parse('m { concat <- a, b\n y = flatten }', 'f');
    expect(diagnostics).toEqual([]);
    const [concat, y] = (ast.items[0] as Section).items as [Statement, Statement];
    expect(concat).toMatchObject({ name: null, call: { kind: 'ident', name: 'concat' } });
    expect(concat.inputs?.map((i) => i.name)).toEqual(['a', 'b']);
    expect(y).toMatchObject({ name: { name: 'y' }, call: { kind: 'ident', name: 'flatten' }, inputs: null });
  });
});

describe('parse: values', () => {
  const valueOf = (text: string) => (parse(`v: ${text}`, 'f').ast.items[0] as Property).value;

  it('reads numbers with sign, fraction and exponent, keeping the text', () => {
    expect(valueOf('1')).toMatchObject({ kind: 'number', value: 1, text: '1' });
    expect(valueOf('-0.5')).toMatchObject({ value: -0.5, text: '-0.5' });
    expect(valueOf('1e-3')).toMatchObject({ value: 0.001, text: '1e-3' });
    expect(valueOf('2.5E+4')).toMatchObject({ value: 25000, text: '2.5E+4' });
  });

  it('decodes JSON escapes in strings', () => {
    expect(valueOf('"a\\"b\\\\c\\n\\t\\r\\u0041"')).toMatchObject({ kind: 'string', value: 'a"b\\c\n\t\rA' });
    expect(valueOf('""')).toMatchObject({ kind: 'string', value: '', text: '""' });
  });

  it('reads lists (with a trailing comma), nested calls and empty argument lists', () => {
    const list = valueOf('[1, [2, 3], "x",]');
    expect(list.kind).toBe('list');
    if (list.kind !== 'list') return;
    expect(list.items.map((item) => item.kind)).toEqual(['number', 'list', 'string']);
    expect(valueOf('[]')).toMatchObject({ kind: 'list', items: [] });
    const call = valueOf('warmup(steps: 50, then: cosine(steps: 1500),)');
    expect(call).toMatchObject({ kind: 'call', callee: { name: 'warmup' } });
    if (call.kind !== 'call') return;
    expect(call.args[1]!.value).toMatchObject({ kind: 'call', callee: { name: 'cosine' } });
    expect(valueOf('batch_norm()')).toMatchObject({ kind: 'call', args: [] });
  });
});

describe('parse: spans', () => {
  it('gives 1-based lines and columns, 0-based offsets and exclusive ends', () => {
    const source = 'a: 1\nmodel {\n  h = dense(16) <- x\n}\n';
    const { ast } = parse(source, 'f');
    const property = ast.items[0] as Property;
    expect(property.span).toEqual({ start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 5, offset: 4 } });
    expect(property.value.span.start).toEqual({ line: 1, column: 4, offset: 3 });
    const model = ast.items[1] as Section;
    // `model {` starts at offset 5; the closing brace is at offset 34 (line 4, column 1).
    expect(model.span).toEqual({ start: { line: 2, column: 1, offset: 5 }, end: { line: 4, column: 2, offset: 35 } });
    const h = model.items[0] as Statement;
    const lineStart = source.indexOf('  h =');
    expect(h.span.start).toEqual({ line: 3, column: 3, offset: lineStart + 2 });
    expect(h.span.end.offset).toBe(source.indexOf('x\n}') + 1);
    expect(h.call.span.start.offset).toBe(source.indexOf('dense'));
    expect(h.call.span.end.offset).toBe(source.indexOf(' <-'));
    expect(h.inputs![0]!.span).toEqual({
      start: { line: 3, column: 20, offset: source.indexOf('x\n}') },
      end: { line: 3, column: 21, offset: source.indexOf('x\n}') + 1 },
    });
    expect(ast.span.end.offset).toBe(source.length);
  });

  it('counts \\r\\n and \\r as one line break each', () => {
    const { ast } = parse('a: 1\r\nb: 2\rc: 3', 'f');
    expect(ast.items.map((item) => [item.span.start.line, item.span.start.column])).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ]);
  });

  it('keeps comments of both styles with their spans', () => {
    const { ast } = parse('# one\na: 1 // two\n', 'f');
    expect(ast.comments.map((c) => [c.text, c.span.start.line, c.span.start.column])).toEqual([
      ['# one', 1, 1],
      ['// two', 2, 6],
    ]);
  });
});

describe('parse: diagnostics', () => {
  it('E0001 for an unexpected character, at its position', () => {
    const { diagnostics, ast } = parse('a: 1\nb: @2', 'f');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'E0001', severity: 'error', message: "Unexpected character '@'.", file: 'f' });
    expect(diagnostics[0]!.span).toEqual({ start: { line: 2, column: 4, offset: 8 }, end: { line: 2, column: 5, offset: 9 } });
    expect(ast.items).toHaveLength(2);
  });

  it('E0002 for an unterminated string; the rest of the file still parses', () => {
    const { diagnostics, ast } = parse('a: "abc\nb: 2', 'f');
    expect(diagnostics.map((d) => d.code)).toEqual(['E0002']);
    expect(diagnostics[0]!.span.start.column).toBe(4);
    expect(diagnostics[0]!.span.end.column).toBe(8);
    expect(ast.items.map((item) => (item as Property).key.name)).toEqual(['a', 'b']);
  });

  it('E0003 for each invalid escape, with the escape as its span', () => {
    const { diagnostics } = parse('a: "x\\qy\\u12"', 'f');
    expect(diagnostics.map((d) => [d.code, d.span.start.column, d.span.end.column])).toEqual([
      ['E0003', 6, 8],
      ['E0003', 9, 13],
    ]);
    expect(diagnostics[0]!.message).toBe("Invalid escape '\\q' in a string.");
  });

  it('E0004 names what was expected and what was found', () => {
    const { diagnostics } = parse('loss 64\noptimizer: adam', 'f');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'E0004', message: "Expected ':' or '{' after 'loss', but found '64'." });
    expect(diagnostics[0]!.span).toEqual({ start: { line: 1, column: 6, offset: 5 }, end: { line: 1, column: 8, offset: 7 } });
  });

  it('E0004 describes a missing value in plain words', () => {
    const [d] = parse('m { x: f(a: ) }', 'f').diagnostics;
    expect(d).toMatchObject({ code: 'E0004', message: "Expected a value after ':', but found ')'." });
  });

  it('E0005 at the bracket the end of the file leaves open, with the end and the outer brackets as notes', () => {
    const { diagnostics, ast } = parse('model {\n  dense(64', 'f');
    expect(diagnostics.map((d) => d.code)).toEqual(['E0005']);
    expect(diagnostics[0]!.message).toBe("This '(' of dense(...) is never closed: the file ends before its ')'.");
    expect(diagnostics[0]!.span.start).toEqual({ line: 2, column: 8, offset: 15 });
    expect(diagnostics[0]!.notes).toEqual(["the '{' of 'model' at 1:7 is not closed either"]);
    expect(diagnostics[0]!.related).toEqual([
      { message: "the file ends here, without the ')'", span: { start: { line: 2, column: 11, offset: 18 }, end: { line: 2, column: 11, offset: 18 } } },
    ]);
    expect(ast.items).toHaveLength(1);
    expect(parse('m {\n  x: 1', 'f').diagnostics[0]!.message).toBe("This '{' of 'm' is never closed: the file ends before its '}'.");
  });

  it('an unclosed brace on line 1 is reported there, not at the end of the file', () => {
    const source = 'model {\n  input(shape: [4])\n  dense(1)\ndata {\n  source: random(samples: 4, features: 4)\n}\nloss: mse\n';
    const { diagnostics } = parse(source, 'f');
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([['E0005', 1, 7]]);
  });

  it('reports two errors in one file and keeps every item that parsed', () => {
    const source = 'a: 1\nloss 64\nb: 2\nmodel { dense(1) 7 }\nc: [1, 2]\n';
    const { diagnostics, ast } = parse(source, 'f');
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ['E0004', 2],
      ['E0004', 4],
    ]);
    const names = ast.items.map((item) => (item.kind === 'statement' ? (item.call as { name: string }).name : item.key.name));
    expect(names).toEqual(['a', 'loss', 'b', 'model', 'c']);
    expect((ast.items[3] as Section).items).toHaveLength(1);
  });

  it('E0006 for nesting deeper than 64, without overflowing the stack', () => {
    const deep = `a: ${'['.repeat(20000)}${']'.repeat(20000)}\nb: 1`;
    const { diagnostics, ast } = parse(deep, 'f');
    expect(diagnostics.map((d) => d.code)).toEqual(['E0006']);
    expect(diagnostics[0]!.span.start.column).toBe(4 + 64);
    expect(ast.items.map((item) => (item as Property).key.name)).toEqual(['a', 'b']);
    expect(codes(`a: ${'f('.repeat(64)}1${')'.repeat(64)}`)).toEqual([]);
    expect(codes(`a: ${'f('.repeat(65)}1${')'.repeat(65)}`)).toEqual(['E0006']);
    expect(codes(`${'a {'.repeat(5000)}`)).toContain('E0006');
  });

  it('messages are one sentence ending in a full stop', () => {
    for (const source of ['a: ', 'a b c 1', '{', 'x = ', 'a: [1,, 2]', 'a: f(', 'm { <- }', '"s"']) {
      for (const d of parse(source, 'f').diagnostics) {
        expect(d.message).toMatch(/^[A-Z].*\.$/);
        expect(d.message.slice(0, -1)).not.toMatch(/\.\s/);
      }
    }
  });
});

describe('parse: robustness', () => {
  it('never throws on arbitrary text and every span lies inside the source', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (source) => {
        const { diagnostics } = parse(source, 'f');
        for (const d of diagnostics) {
          expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.end.offset).toBeLessThanOrEqual(source.length);
          expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on soups of mlspec tokens', () => {
    const token = fc.constantFrom('a', 'b', ':', '{', '}', '(', ')', '[', ']', ',', '=', '<-', '1', '"s"', '"', '#c\n', '\n', ' ');
    fc.assert(
      fc.property(fc.array(token, { maxLength: 80 }), (parts) => {
        const result = parse(parts.join(' '), 'f');
        expect(Array.isArray(result.ast.items)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('parses a large file in reasonable time', () => {
    const source = Array.from({ length: 5000 }, (_, i) => `s${i} { a: ${i}, b: [1, 2], c: f(x: 1) }`).join('\n');
    const started = Date.now();
    const { ast, diagnostics } = parse(source, 'f');
    expect(diagnostics).toEqual([]);
    expect(ast.items).toHaveLength(5000);
    expect(Date.now() - started).toBeLessThan(10000);
  });

  it('reports thousands of errors without overflowing the stack', () => {
    const bytes = Buffer.from(Array.from({ length: 50000 }, (_, i) => (i * 2654435761) % 256));
    const { diagnostics } = parse(bytes.toString('latin1'), 'f');
    expect(diagnostics.length).toBeGreaterThan(1000);
    expect(diagnostics.every((d) => d.code !== 'E0004' || d.message.startsWith('Expected'))).toBe(true);
    const list = `a: [${Array.from({ length: 5000 }, (_, i) => `${i} ${i}`).join(', ')}]`;
    expect(parse(list, 'f').diagnostics.length).toBeGreaterThan(0);
    const items = Array.from({ length: 5000 }, () => 'a 1').join('\n');
    expect(parse(items, 'f').diagnostics).toHaveLength(5000);
  });

  it('reports stray tokens once per run and once per token position', () => {
    const { diagnostics } = parse('}}\na: [1, 2 3]', 'f');
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([
      ['E0004', 1, 1],
      ['E0004', 2, 10],
    ]);
    expect(diagnostics[0]!.message).toBe("Expected an item, but found '}'.");
  });
});
