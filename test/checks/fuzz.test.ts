/**
 * Property test of the whole front end: more than 10,000 damaged variants of the examples
 * (mutated, truncated, lines or tokens shuffled, lines mixed across examples) and random strings
 * go through analyze(). It must never throw, must finish each quickly, and every diagnostic must
 * point inside the source. Set FUZZ_SEED to replay a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/frontend.js';

/** Per call; typical calls take a few milliseconds, the bound only catches runaway work. */
const TIME_BOUND_MS = 2000;
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

const examples = fs
  .readdirSync('examples')
  .filter((name) => name.endsWith('.mlspec'))
  .sort()
  .map((name) => ({ file: path.join('examples', name), source: fs.readFileSync(path.join('examples', name), 'utf8') }));
const allLines = examples.flatMap((example) => example.source.split('\n'));

/** Checks one source; returns a description of the first broken invariant, or null. */
function violation(source: string, file: string): string | null {
  const started = performance.now();
  let diagnostics: Diagnostic[];
  try {
    diagnostics = analyze(source, file).diagnostics;
  } catch (error) {
    return `threw ${error instanceof Error ? error.stack : String(error)}`;
  }
  const elapsed = performance.now() - started;
  if (elapsed > TIME_BOUND_MS) return `took ${elapsed.toFixed(0)} ms`;
  return diagnosticProblem(source, file, diagnostics);
}

/** The first diagnostic that is malformed or points outside `source`, described; else null. */
function diagnosticProblem(source: string, file: string, diagnostics: readonly Diagnostic[]): string | null {
  const lines = source.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    const { start, end } = d.span;
    const where = `${d.code} ${start.line}:${start.column}-${end.line}:${end.column}`;
    if (d.file !== file || !/^[EW]\d{4}$/.test(d.code) || d.message.length === 0) return `malformed diagnostic ${where}`;
    for (const p of [start, end]) {
      if (!(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length)) return `line out of range: ${where}`;
      if (!(Number.isInteger(p.column) && p.column >= 1 && p.column <= lines[p.line - 1]!.length + 1)) return `column out of range: ${where}`;
    }
    if (start.line > end.line || (start.line === end.line && start.column > end.column)) return `start after end: ${where}`;
  }
  return null;
}

const example = fc.constantFrom(...examples);
const interesting = fc.constantFrom(...'{}()[],:=<-#"\\\n .-_0123456789eE'.split(''), 'dense', 'input', 'model', 'data', '<-', '1e999', '-1', 'x', '__proto__', 'constructor');

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(interesting, fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: interesting }),
);

type Edit = { kind: 'insert'; at: number; text: string } | { kind: 'delete'; at: number; length: number } | { kind: 'replace'; at: number; text: string };

function applyEdit(source: string, e: Edit): string {
  const at = source.length === 0 ? 0 : e.at % (source.length + 1);
  if (e.kind === 'insert') return source.slice(0, at) + e.text + source.slice(at);
  if (e.kind === 'delete') return source.slice(0, at) + source.slice(at + e.length);
  return source.slice(0, at) + e.text + source.slice(at + 1);
}

function shuffled<T>(items: readonly T[], keys: readonly number[]): T[] {
  return items
    .map((item, i) => ({ item, key: keys[i % Math.max(1, keys.length)]! + i / items.length }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

const variants: Array<[string, fc.Arbitrary<{ source: string; file: string }>, number]> = [
  ['mutated', fc.tuple(example, fc.array(edit, { minLength: 1, maxLength: 6 })).map(([ex, edits]) => ({ file: ex.file, source: edits.reduce(applyEdit, ex.source) })), 3000],
  ['truncated', fc.tuple(example, fc.double({ min: 0, max: 1, noNaN: true })).map(([ex, cut]) => ({ file: ex.file, source: ex.source.slice(0, Math.floor(cut * ex.source.length)) })), 1500],
  [
    'lines shuffled',
    fc.tuple(example, fc.array(fc.nat(1000), { minLength: 1, maxLength: 40 })).map(([ex, keys]) => ({ file: ex.file, source: shuffled(ex.source.split('\n'), keys).join('\n') })),
    1500,
  ],
  [
    'lines mixed across examples',
    fc.tuple(example, fc.array(fc.nat(allLines.length - 1), { minLength: 1, maxLength: 40 })).map(([ex, picks]) => ({ file: ex.file, source: picks.map((i) => allLines[i]).join('\n') })),
    2000,
  ],
  [
    'tokens shuffled',
    fc.tuple(example, fc.array(fc.nat(1000), { minLength: 1, maxLength: 60 })).map(([ex, keys]) => ({
      file: ex.file,
      source: shuffled(ex.source.match(/"[^"\n]*"|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?(?:e-?\d+)?|<-|\S|\n/g) ?? [], keys).join(' '),
    })),
    1500,
  ],
  ['random strings', fc.string({ unit: 'binary', maxLength: 300 }).map((source) => ({ file: 'examples/random.mlspec', source })), 1000],
];

describe('analyze() on damaged and random input', () => {
  test('runs more than 10,000 cases in total', () => {
    expect(variants.reduce((sum, [, , runs]) => sum + runs, 0)).toBeGreaterThanOrEqual(10_000);
  });

  for (const [name, arbitrary, numRuns] of variants) {
    test(`${name}: never throws, stays fast, reports valid spans`, () => {
      fc.assert(
        fc.property(arbitrary, ({ source, file }) => {
          const problem = violation(source, file);
          if (problem) throw new Error(`${problem}\n--- source ---\n${source}`);
        }),
        { numRuns, seed },
      );
    });
  }

  test('the invariant checker rejects spans outside the source', () => {
    const at = (line: number, column: number) => ({ line, column, offset: 0 });
    const make = (start: [number, number], end: [number, number]): Diagnostic[] => [
      { code: 'E0101', severity: 'error', message: 'x.', file: 'f', span: { start: at(...start), end: at(...end) } },
    ];
    const source = 'loss: mse\noptimizer: adam';
    expect(diagnosticProblem(source, 'f', make([1, 1], [1, 10]))).toBeNull();
    expect(diagnosticProblem(source, 'f', make([1, 1], [1, 11]))).toMatch(/column out of range/);
    expect(diagnosticProblem(source, 'f', make([3, 1], [3, 1]))).toMatch(/line out of range/);
    expect(diagnosticProblem(source, 'f', make([2, 3], [1, 2]))).toMatch(/start after end/);
    expect(diagnosticProblem(source, 'g', make([1, 1], [1, 1]))).toMatch(/malformed/);
  });
});
