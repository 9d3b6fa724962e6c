import { describe, expect, it } from 'vitest';
import { diagnostic, type Diagnostic, type Span } from '../../src/diagnostics/diagnostic.js';
import { diagnosticsToJson, displayWidth, formatDiagnostic, formatDiagnostics } from '../../src/diagnostics/format.js';
import { parse } from '../../src/syntax/parse.js';

/** A span on one line from 1-based columns [start, end), with offsets computed from `source`. */
function spanOn(source: string, line: number, start: number, end: number, endLine = line): Span {
  const lineStarts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1);
  return {
    start: { line, column: start, offset: lineStarts[line - 1]! + start - 1 },
    end: { line: endLine, column: end, offset: lineStarts[endLine - 1]! + end - 1 },
  };
}

const plain = { color: false };

describe('formatDiagnostic', () => {
  it('prints the header, the source line with a gutter and carets under the span', () => {
    const source = 'a: 1\nloss 64\n';
    const d = diagnostic('E0004', 'error', "Expected ':' or '{' after 'loss', but found '64'.", 'x.mlspec', spanOn(source, 2, 6, 8));
    expect(formatDiagnostic(d, source, plain)).toBe(
      [
        "x.mlspec:2:6: error[E0004]: Expected ':' or '{' after 'loss', but found '64'.",
        '2 | loss 64',
        '  |      ^^',
      ].join('\n'),
    );
  });

  it('prints notes under the excerpt and works without the source', () => {
    const source = 'a: 1\n';
    const d = diagnostic('W0001', 'warning', 'Something odd.', 'f', spanOn(source, 1, 4, 5), ['first hint', 'second hint']);
    expect(formatDiagnostic(d, source, plain).split('\n')).toEqual([
      'f:1:4: warning[W0001]: Something odd.',
      '1 | a: 1',
      '  |    ^',
      '  = note: first hint',
      '  = note: second hint',
    ]);
    expect(formatDiagnostic(d, undefined, plain).split('\n')).toEqual([
      'f:1:4: warning[W0001]: Something odd.',
      '  = note: first hint',
      '  = note: second hint',
    ]);
  });

  it('widens the gutter for long line numbers', () => {
    const source = 'x\n'.repeat(99) + 'bad: @\n';
    const d = diagnostic('E0001', 'error', "Unexpected character '@'.", 'f', spanOn(source, 100, 6, 7));
    expect(formatDiagnostic(d, source, plain).split('\n').slice(1)).toEqual(['100 | bad: @', '    |      ^']);
  });

  it('puts one caret under an empty span and stops a multi-line span at the end of its first line', () => {
    const source = 'model {\n  dense(64\n';
    const empty = diagnostic('E0005', 'error', 'End.', 'f', spanOn(source, 2, 11, 11));
    expect(formatDiagnostic(empty, source, plain).split('\n')[2]).toBe('  |           ^');
    const multi = diagnostic('E0100', 'error', 'Block.', 'f', spanOn(source, 1, 1, 11, 2));
    expect(formatDiagnostic(multi, source, plain).split('\n').slice(1)).toEqual(['1 | model {', `  | ${'^'.repeat(7)}`]);
  });

  it('expands tabs so the caret stays under the span', () => {
    const source = '\ta:\t@';
    const d = diagnostic('E0001', 'error', 'Bad.', 'f', spanOn(source, 1, 5, 6));
    const [, line, carets] = formatDiagnostic(d, source, plain).split('\n');
    // Tab stops every 4 columns: "\t" -> 4 spaces, "a:" -> columns 4-5, "\t" -> 2 spaces, "@" at column 8.
    expect(line).toBe('1 |     a:  @');
    expect(carets).toBe('  |         ^');
    expect(carets!.indexOf('^')).toBe(line!.indexOf('@'));
  });

  it('counts wide characters as two columns and combining marks as none', () => {
    const source = 'name: "数据" @';
    const at = source.indexOf('@') + 1;
    const d = diagnostic('E0001', 'error', 'Bad.', 'f', spanOn(source, 1, at, at + 1));
    const [, , carets] = formatDiagnostic(d, source, plain).split('\n');
    // 'name: "' is 7 columns, each CJK character takes 2, then '" ' is 2 more: the '@' is at display column 13.
    expect(carets).toBe(`  | ${' '.repeat(13)}^`);
    const combining = 'e\u0301 @';
    const d2 = diagnostic('E0001', 'error', 'Bad.', 'f', spanOn(combining, 1, 4, 5));
    expect(formatDiagnostic(d2, combining, plain).split('\n')[2]).toBe(`  | ${' '.repeat(2)}^`);
    const string = 'a: "数"';
    const d3 = diagnostic('E0100', 'error', 'Bad.', 'f', spanOn(string, 1, 4, 7));
    expect(formatDiagnostic(d3, string, plain).split('\n')[2]).toBe('  |    ^^^^');
    expect(displayWidth('😀'.codePointAt(0)!)).toBe(2);
  });

  it('shows control characters as visible pictures of width one', () => {
    const source = 'a\u0000b @';
    const d = diagnostic('E0001', 'error', 'Bad.', 'f', spanOn(source, 1, 5, 6));
    const [, line, carets] = formatDiagnostic(d, source, plain).split('\n');
    expect(line).toBe('1 | a\u2400b @');
    expect(carets!.indexOf('^')).toBe(line!.indexOf('@'));
  });

  it('uses ANSI colours only when asked', () => {
    const source = 'a: @';
    const d = diagnostic('E0001', 'error', 'Bad.', 'f', spanOn(source, 1, 4, 5), ['hint']);
    expect(formatDiagnostic(d, source, plain)).not.toContain('\x1b[');
    const coloured = formatDiagnostic(d, source, { color: true });
    expect(coloured).toContain('\x1b[31m');
    expect(coloured.replace(/\x1b\[[0-9;]*m/g, '')).toBe(formatDiagnostic(d, source, plain));
  });

  it('formats what parse() reports', () => {
    const source = 'optimizer: adam(lr 0.1)\n';
    const [d] = parse(source, 'spec.mlspec').diagnostics;
    const lines = formatDiagnostic(d!, source, plain).split('\n');
    expect(lines[0]).toMatch(/^spec\.mlspec:1:20: error\[E0004\]: /);
    expect(lines[2]).toBe(`  | ${' '.repeat(19)}^^^`);
  });
});

describe('formatDiagnostics', () => {
  it('sorts by file, line and column and separates entries by a blank line', () => {
    const a = 'x: @\ny: @\n';
    const b = 'z: @\n';
    const list: Diagnostic[] = [
      diagnostic('E1', 'error', 'Second line.', 'a.mlspec', spanOn(a, 2, 4, 5)),
      diagnostic('E2', 'error', 'Other file.', 'b.mlspec', spanOn(b, 1, 4, 5)),
      diagnostic('E3', 'error', 'Column four.', 'a.mlspec', spanOn(a, 1, 4, 5)),
      diagnostic('E4', 'error', 'Column one.', 'a.mlspec', spanOn(a, 1, 1, 2)),
    ];
    const text = formatDiagnostics(list, new Map([['a.mlspec', a], ['b.mlspec', b]]), plain);
    const headers = text.split('\n\n').map((block) => block.split('\n')[0]);
    expect(headers).toEqual([
      'a.mlspec:1:1: error[E4]: Column one.',
      'a.mlspec:1:4: error[E3]: Column four.',
      'a.mlspec:2:4: error[E1]: Second line.',
      'b.mlspec:1:4: error[E2]: Other file.',
    ]);
    expect(formatDiagnostics([], new Map(), plain)).toBe('');
  });
});

describe('diagnosticsToJson', () => {
  it('writes a sorted array with a fixed set of keys', () => {
    const source = 'a: @\nb: "\\q"\n';
    const list = [
      diagnostic('E0003', 'error', 'Escape.', 'f', spanOn(source, 2, 5, 7), ['valid escapes ...']),
      diagnostic('E0001', 'warning', 'Char.', 'f', spanOn(source, 1, 4, 5)),
    ];
    const parsed = JSON.parse(diagnosticsToJson(list)) as Record<string, unknown>[];
    expect(parsed).toEqual([
      { file: 'f', line: 1, column: 4, endLine: 1, endColumn: 5, severity: 'warning', code: 'E0001', message: 'Char.', notes: [], related: [] },
      {
        file: 'f',
        line: 2,
        column: 5,
        endLine: 2,
        endColumn: 7,
        severity: 'error',
        code: 'E0003',
        message: 'Escape.',
        notes: ['valid escapes ...'],
        related: [],
      },
    ]);
    expect(Object.keys(parsed[0]!)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message', 'notes', 'related']);
    expect(JSON.parse(diagnosticsToJson([]))).toEqual([]);
  });

  it('writes related places with their positions, and prints them under the notes', () => {
    const source = 'model {\n  dense(1)\n';
    const d = { ...diagnostic('E0005', 'error', 'Open.', 'f', spanOn(source, 1, 7, 8)), related: [{ message: 'the file ends here', span: spanOn(source, 3, 1, 1) }] };
    expect((JSON.parse(diagnosticsToJson([d])) as Record<string, unknown>[])[0]!.related).toEqual([{ line: 3, column: 1, endLine: 3, endColumn: 1, message: 'the file ends here' }]);
    expect(formatDiagnostic(d, source, { color: false })).toContain('  = see: f:3:1: the file ends here');
  });
});
