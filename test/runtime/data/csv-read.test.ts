import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvParseRecords, readCsvTable } from '../../../src/runtime/data/csv-read.js';
import { csvSplitSimple } from '../../../src/runtime/data/csv-simple.js';
import { dataSha256 } from '../../../src/runtime/data/hash.js';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { csvFixtures, dataErrorOf, describeError, fixture } from './helpers.js';

const read = (name: string) => readCsvTable(name, csvFixtures);

describe('readCsvTable', () => {
  it('strips a byte-order mark from the first column name', () => {
    const table = read('bom.csv');
    expect(table.header).toEqual(['a', 'b', 'label']);
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['1', '2', 'x'],
      ['3', '4', 'y'],
    ]);
  });

  it('reads CRLF line ends, skips blank lines and keeps the line numbers of the file', () => {
    const table = read('crlf.csv');
    expect(table.rows).toEqual([
      { cells: ['1', '2', 'x'], line: 2 },
      { cells: ['3', '4', 'y'], line: 3 },
      { cells: ['5', 'oops', 'x'], line: 5 },
    ]);
  });

  it('reads quoted fields holding commas and newlines, and numbers rows by the line they start on', () => {
    const table = read('quoted.csv');
    expect(table.rows).toEqual([
      { cells: ['1', '2', 'big, red'], line: 2 },
      { cells: ['3', '4', 'two\nlines'], line: 3 },
      { cells: ['5', '6', 'big, red'], line: 5 },
      { cells: ['7', '8x', 'plain'], line: 6 },
    ]);
  });

  it('reads quoted fields with CRLF inside them', () => {
    expect(read('crlf-quoted.csv').rows).toEqual([
      { cells: ['1', 'x\r\ny'], line: 2 },
      { cells: ['2', 'z'], line: 4 },
    ]);
  });

  it('hashes the file bytes with SHA-256', () => {
    const expected = createHash('sha256').update(fs.readFileSync(fixture('bom.csv'))).digest('hex');
    expect(read('bom.csv').hash).toBe(expected);
    expect(dataSha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('resolves relative paths against the base folder and keeps absolute ones', () => {
    expect(readCsvTable(fixture('bom.csv'), '/nonexistent').file).toBe(fixture('bom.csv'));
    expect(readCsvTable('csv/bom.csv', fixture('..')).file).toBe(fixture('bom.csv'));
  });
});

describe('readCsvTable errors', () => {
  it('E0501: a missing file', () => {
    expect(describeError(dataErrorOf(() => read('nope.csv')))).toEqual({
      code: 'E0501',
      file: fixture('nope.csv'),
      line: null,
      column: null,
      // The folder relative paths resolve against, not "the spec's folder": in a compiled program it is the program's.
      message: `Cannot read the data file \`${fixture('nope.csv')}\` (it does not exist); check the path in \`csv(...)\` (a relative path is resolved against ${path.dirname(fixture('nope.csv'))}).`,
    });
    expect(dataErrorOf(() => read('nope.csv')).option).toBe('path');
  });

  it('E0502: an unclosed quote, reported where its row starts', () => {
    expect(describeError(dataErrorOf(() => read('unclosed-quote.csv')))).toEqual({
      code: 'E0502',
      file: fixture('unclosed-quote.csv'),
      line: 3,
      column: 3,
      message: `\`${fixture('unclosed-quote.csv')}\` line 3, column 3: a quoted field is never closed; add the closing quote (") or remove the opening one.`,
    });
  });

  it('E0502: a quote inside an unquoted field', () => {
    expect(describeError(dataErrorOf(() => read('stray-quote.csv')))).toEqual({
      code: 'E0502',
      file: fixture('stray-quote.csv'),
      line: 3,
      column: 2,
      message: `\`${fixture('stray-quote.csv')}\` line 3 is not valid CSV (Invalid Opening Quote: a quote is found on field 1 at line 3, value is "x"); check the quotes on that line.`,
    });
  });

  it('E0512: a ragged row', () => {
    expect(describeError(dataErrorOf(() => read('ragged.csv')))).toEqual({
      code: 'E0512',
      file: fixture('ragged.csv'),
      line: 3,
      column: null,
      message: `\`${fixture('ragged.csv')}\` line 3 has 2 cells but the header (line 1) has 3; give every row one cell per column.`,
    });
  });

  it('E0513: an empty file', () => {
    expect(describeError(dataErrorOf(() => read('empty.csv')))).toEqual({
      code: 'E0513',
      file: fixture('empty.csv'),
      line: null,
      column: null,
      message: `The data file \`${fixture('empty.csv')}\` is empty; it needs a header row naming the columns, then one row per sample.`,
    });
  });

  it('E0514: a header without rows', () => {
    expect(describeError(dataErrorOf(() => read('header-only.csv')))).toEqual({
      code: 'E0514',
      file: fixture('header-only.csv'),
      line: 1,
      column: null,
      message: `The data file \`${fixture('header-only.csv')}\` has a header (line 1) but no data rows; add one row per sample.`,
    });
  });

  it('E0518: a column name used twice', () => {
    expect(describeError(dataErrorOf(() => read('duplicate-header.csv')))).toEqual({
      code: 'E0518',
      file: fixture('duplicate-header.csv'),
      line: 1,
      column: 3,
      message: `\`${fixture('duplicate-header.csv')}\` line 1: the column name \`a\` appears twice (columns 1 and 3); rename one of them.`,
    });
  });
});

describe('the quote-free fast path', () => {
  it('declines text with quotes or lone carriage returns', () => {
    expect(csvSplitSimple('a,b\n"1",2\n')).toBeNull();
    expect(csvSplitSimple('a,b\r1,2\r')).toBeNull();
    expect(csvSplitSimple('a,b\r\n1,2\n')).toBeNull();
  });

  it('gives the same records and lines as csv-parse on quote-free text', () => {
    const cell = fc.stringMatching(/^[a-z0-9 .+-]{0,4}$/);
    const line = fc.array(cell, { minLength: 1, maxLength: 4 }).map((cells) => cells.join(','));
    const text = fc
      .tuple(fc.array(line, { minLength: 1, maxLength: 8 }), fc.constantFrom('\n', '\r\n'), fc.boolean())
      .map(([lines, end, trailing]) => lines.join(end) + (trailing ? end : ''))
      .filter((t) => t.trim() !== '');
    fc.assert(
      fc.property(text, (t) => {
        expect(csvSplitSimple(t)).toEqual(csvParseRecords(t, 'x.csv'));
      }),
      { numRuns: 300 },
    );
  });
});
