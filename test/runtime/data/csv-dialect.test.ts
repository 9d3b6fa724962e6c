/**
 * CSV dialect options of `csv(...)` (delimiter, quote, comment, header: false with columns) and
 * gzip files, read by readCsvTable as run, evaluate, predict and compiled programs read them.
 */
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../src/runtime/data/csv-read.js';
import { CSV_DEFAULT_DIALECT, csvDecompress, csvDialectOf, csvDialectProblem } from '../../../src/runtime/data/csv-dialect.js';
import { csvFixtures, dataErrorOf, fixture } from './helpers.js';

const dialect = (options: Parameters<typeof csvDialectOf>[0]) => csvDialectOf(options);

describe('CSV dialects', () => {
  it('splits on `delimiter`, with quoted cells holding it', () => {
    const table = readCsvTable('semicolon.csv', csvFixtures, dialect({ delimiter: ';' }));
    expect(table.header).toEqual(['a', 'b', 'label']);
    expect(table.rows).toEqual([
      { cells: ['1', '2.5', 'x'], line: 2 },
      { cells: ['3', '4', 'y;z'], line: 3 },
    ]);
  });

  it('reads the same file with the default delimiter as one column (what the check hint is about)', () => {
    const table = readCsvTable('../invalid/data/semicolon.csv', csvFixtures, CSV_DEFAULT_DIALECT);
    expect(table.header).toEqual(['a;b;y']);
  });

  it('uses `quote` as the quote character', () => {
    const table = readCsvTable('single-quote.csv', csvFixtures, dialect({ quote: "'" }));
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['1', '2.5', 'x'],
      ['3', '4', 'y,z'],
    ]);
  });

  it('skips comment lines and, with header: false, names the columns by `columns`, keeping line numbers', () => {
    const table = readCsvTable('headerless-tab.tsv', csvFixtures, dialect({ delimiter: '\t', comment: '#', header: false, columns: ['a', 'b', 'label'] }));
    expect(table.header).toEqual(['a', 'b', 'label']);
    expect(table.headerLine).toBeNull();
    expect(table.rows).toEqual([
      { cells: ['1', '2', 'x'], line: 2 },
      { cells: ['3', '4', 'y'], line: 4 },
    ]);
  });

  it('refuses a row whose cells do not match `columns` (E0512), naming the line', () => {
    const error = dataErrorOf(() => readCsvTable('headerless-tab.tsv', csvFixtures, dialect({ delimiter: '\t', comment: '#', header: false, columns: ['a', 'b'] })));
    expect(error.code).toBe('E0512');
    expect(error.line).toBe(2);
    expect(error.message).toContain('`columns` names 2');
  });

  it('refuses options that cannot be used (E0532), naming the option', () => {
    const cases: [Parameters<typeof csvDialectOf>[0], string][] = [
      [{ delimiter: ';;' }, 'delimiter'],
      [{ delimiter: '' }, 'delimiter'],
      [{ delimiter: '\n' }, 'delimiter'],
      [{ quote: '' }, 'quote'],
      [{ delimiter: ';', quote: ';' }, 'quote'],
      [{ comment: '##' }, 'comment'],
      [{ comment: ',' }, 'comment'],
      [{ header: false }, 'header'],
      [{ columns: ['a'] }, 'columns'],
      [{ header: false, columns: ['a', 'a'] }, 'columns'],
    ];
    for (const [options, option] of cases) {
      expect(csvDialectProblem(dialect(options))?.option, JSON.stringify(options)).toBe(option);
      const error = dataErrorOf(() => readCsvTable('semicolon.csv', csvFixtures, dialect(options)));
      expect(error.code).toBe('E0532');
      expect(error.option).toBe(option);
    }
    expect(csvDialectProblem(CSV_DEFAULT_DIALECT)).toBeNull();
  });
});

describe('gzip files', () => {
  it('a .gz path is decompressed: the same header, rows and hash as the plain file', () => {
    const plain = readCsvTable('semicolon.csv', csvFixtures, dialect({ delimiter: ';' }));
    const gz = readCsvTable('semicolon.csv.gz', csvFixtures, dialect({ delimiter: ';' }));
    expect(gz.header).toEqual(plain.header);
    expect(gz.rows).toEqual(plain.rows);
    expect(gz.hash).toBe(plain.hash);
  });

  it('a .gz path that is not gzip is refused as E0501, naming the file', () => {
    const error = dataErrorOf(() => readCsvTable('not-gzip.csv.gz', csvFixtures));
    expect(error.code).toBe('E0501');
    expect(error.file).toBe(fixture('not-gzip.csv.gz'));
    expect(error.message).toContain('not valid gzip');
  });

  it('the size limit applies to the decompressed text', () => {
    const bomb = zlib.gzipSync(Buffer.alloc(1 << 20, 0x31));
    expect(bomb.length).toBeLessThan(1 << 12);
    expect(() => csvDecompress(bomb, 'big.csv.gz', 1 << 19)).toThrow(expect.objectContaining({ code: 'ETOOLARGE' }));
    expect(csvDecompress(bomb, 'big.csv.gz', 1 << 20).length).toBe(1 << 20);
    expect(csvDecompress(bomb, 'big.csv', 1)).toBe(bomb);
  });
});
