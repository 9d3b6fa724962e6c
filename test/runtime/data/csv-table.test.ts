import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readCsvTable } from '../../../src/runtime/data/csv-read.js';
import { buildCsvTable, type CsvTableOptions } from '../../../src/runtime/data/csv-table.js';
import { csvFixtures, dataErrorOf, describeError, fixture } from './helpers.js';

const defaults: CsvTableOptions = { label: 'label', labelRequired: true, features: null, categorical: true, missing: 'error', classes: null };
const table = (name: string, options: Partial<CsvTableOptions> = {}) => buildCsvTable(readCsvTable(name, csvFixtures), { ...defaults, ...options });
const errorOf = (name: string, options: Partial<CsvTableOptions> = {}) => describeError(dataErrorOf(() => table(name, options)));

describe('columns', () => {
  it('takes every column but the label as features, in file order', () => {
    const t = table('bom.csv');
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(t.features).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(t.sampleShape).toEqual([2]);
    expect(t.rowLines).toEqual([2, 3]);
  });

  it('takes listed features in the listed order', () => {
    expect(table('bom.csv', { features: ['b', 'a'] }).features).toEqual([
      [2, 1],
      [4, 3],
    ]);
  });

  it('E0515: an unknown label column, with a suggestion', () => {
    expect(errorOf('unknown-label.csv', { label: 'specis' })).toEqual({
      code: 'E0515',
      file: fixture('unknown-label.csv'),
      line: 1,
      column: null,
      message: `\`${fixture('unknown-label.csv')}\` has no column \`specis\` (the label); did you mean \`species\`?`,
    });
    expect(dataErrorOf(() => table('unknown-label.csv', { label: 'specis' })).option).toBe('label');
  });

  it('E0515: an unknown label column far from every name lists the columns', () => {
    expect(errorOf('unknown-label.csv', { label: 'colour' }).message).toBe(
      `\`${fixture('unknown-label.csv')}\` has no column \`colour\` (the label); its columns are \`sepal_length\`, \`sepal_width\`, \`species\`.`,
    );
  });

  it('E0515: an unknown feature column', () => {
    const error = dataErrorOf(() => table('unknown-label.csv', { label: 'species', features: ['sepal_lenght'] }));
    expect(error.message).toBe(`\`${fixture('unknown-label.csv')}\` has no column \`sepal_lenght\` (listed in \`features\`); did you mean \`sepal_length\`?`);
    expect(error.option).toBe('features');
  });

  it('E0519: the label listed among the features', () => {
    expect(errorOf('bom.csv', { features: ['a', 'label'] }).message).toBe(
      `The label column \`label\` of \`${fixture('bom.csv')}\` is also listed in \`features\`; remove it from \`features\`.`,
    );
  });

  it('E0519: a file with only the label column', () => {
    expect(errorOf('label-only.csv').message).toBe(`\`${fixture('label-only.csv')}\` has no columns besides the label \`label\`; add feature columns to the file.`);
  });
});

describe('cells', () => {
  it('E0511: a word in a feature column', () => {
    expect(errorOf('non-numeric.csv')).toEqual({
      code: 'E0511',
      file: fixture('non-numeric.csv'),
      line: 3,
      column: 2,
      message: `\`${fixture('non-numeric.csv')}\` line 3, column 2 (\`b\`): \`abc\` is not a number; write a plain decimal number (such as 2.5 or 1e-3), list the column in \`category\` if it holds names, or leave it out of \`features\`.`,
    });
  });

  it('E0511: a hexadecimal number', () => {
    expect(errorOf('hex-and-comma.csv')).toMatchObject({ code: 'E0511', line: 2, column: 1 });
    expect(errorOf('hex-and-comma.csv').message).toContain('(`a`): `0x10` is not a number;');
  });

  it('E0511: a regression label that is not a number', () => {
    expect(errorOf('regression-label.csv', { label: 'price', categorical: false })).toEqual({
      code: 'E0511',
      file: fixture('regression-label.csv'),
      line: 3,
      column: 3,
      message: `\`${fixture('regression-label.csv')}\` line 3, column 3 (\`price\`): \`cheap\` is not a number; write a decimal number, or set \`categorical: true\` if the labels are class names.`,
    });
  });

  it('reads regression labels as numbers', () => {
    const t = table('constant.csv', { label: 'v', categorical: false, features: ['c'] });
    expect(t.labels).toEqual({ kind: 'values', values: [[1], [2], [3], [4], [5]] });
  });

  it('E0516: a NaN literal', () => {
    expect(errorOf('nan.csv')).toEqual({
      code: 'E0516',
      file: fixture('nan.csv'),
      line: 3,
      column: 2,
      message: `\`${fixture('nan.csv')}\` line 3, column 2 (\`b\`): \`NaN\` is not a finite number; write the actual value, or leave the cell empty and set \`missing:\` in the data section.`,
    });
  });

  it('E0516: an Infinity literal', () => {
    expect(errorOf('infinity.csv')).toMatchObject({ code: 'E0516', line: 2, column: 2 });
    expect(errorOf('infinity.csv').message).toContain('(`b`): `-Infinity` is not a finite number;');
  });

  it('counts lines across a quoted field that holds a newline', () => {
    expect(errorOf('quoted.csv')).toMatchObject({ code: 'E0511', line: 6, column: 2 });
    expect(errorOf('crlf.csv')).toMatchObject({ code: 'E0511', line: 5, column: 2 });
  });
});

describe('class labels', () => {
  it('maps class names (with commas and newlines) to indices in sorted order', () => {
    const t = table('quoted.csv', { features: ['a'] });
    expect(t.labels).toEqual({ kind: 'classes', indices: [0, 2, 0, 1], count: 3, names: ['big, red', 'plain', 'two\nlines'] });
  });

  it('maps with a saved model\'s classes', () => {
    const t = table('bom.csv', { classes: ['y', 'x', 'w'] });
    expect(t.labels).toEqual({ kind: 'classes', indices: [1, 0], count: 3, names: ['y', 'x', 'w'] });
  });

  it('E0517: a class the saved model does not know', () => {
    expect(errorOf('missing.csv', { classes: ['x'], missing: 'zero' })).toEqual({
      code: 'E0517',
      file: fixture('missing.csv'),
      line: 3,
      column: 3,
      message: `\`${fixture('missing.csv')}\` line 3, column 3 (\`label\`): the class \`y\` is not one of the model's classes (\`x\`); use data with only the classes the model was trained on.`,
    });
  });

  it('gives no labels for new data without the label column', () => {
    const t = table('bom.csv', { label: 'target', labelRequired: false, features: ['a', 'b'] });
    expect(t.labels).toBeNull();
    expect(t.features).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe('missing cells', () => {
  it('E0510 under `missing: error`', () => {
    expect(errorOf('missing.csv')).toEqual({
      code: 'E0510',
      file: fixture('missing.csv'),
      line: 3,
      column: 2,
      message: `\`${fixture('missing.csv')}\` line 3, column 2 (\`b\`): the cell is empty; fill it in, or say what empty cells mean with \`missing: drop\`, \`missing: zero\` or \`missing: mean\` in the data section.`,
    });
  });

  it('drops rows under `missing: drop`', () => {
    const t = table('missing.csv', { missing: 'drop' });
    expect(t.features).toEqual([
      [1, 2],
      [5, 6],
    ]);
    expect(t.rowLines).toEqual([2, 4]);
    expect(t.labels).toEqual({ kind: 'classes', indices: [0, 0], count: 1, names: ['x'] });
  });

  it('writes 0 under `missing: zero`', () => {
    const t = table('missing.csv', { missing: 'zero' });
    expect(t.features).toEqual([
      [1, 2],
      [3, 0],
      [5, 6],
      [0, 8],
    ]);
    expect(t.hasMissing).toBe(false);
  });

  it('keeps NaN for the pipeline to fill under `missing: mean`', () => {
    const t = table('missing.csv', { missing: 'mean' });
    expect(t.features).toEqual([
      [1, 2],
      [3, NaN],
      [5, 6],
      [NaN, 8],
    ]);
    expect(t.hasMissing).toBe(true);
  });

  it('E0510: an empty label, unless rows are dropped', () => {
    for (const missing of ['error', 'zero', 'mean'] as const) {
      expect(errorOf('missing-label.csv', { missing })).toEqual({
        code: 'E0510',
        file: fixture('missing-label.csv'),
        line: 3,
        column: 3,
        message: `\`${fixture('missing-label.csv')}\` line 3, column 3 (\`label\`): the label is empty; fill it in, or set \`missing: drop\` in the data section to skip rows without a label.`,
      });
    }
    expect(table('missing-label.csv', { missing: 'drop' }).rowLines).toEqual([2, 4]);
  });

  it('E0520: dropping every row', () => {
    expect(errorOf('all-missing.csv', { missing: 'drop' })).toEqual({
      code: 'E0520',
      file: fixture('all-missing.csv'),
      line: null,
      column: null,
      message: `Every data row of \`${fixture('all-missing.csv')}\` has an empty cell, so \`missing: drop\` leaves no rows; fill the cells in, or use \`missing: zero\` or \`missing: mean\`.`,
    });
  });
});

describe('every problem of a pass at once', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-csv-table-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    fs.writeFileSync(path.join(dir, name), text);
    return buildCsvTableOf(name);
  };
  const buildCsvTableOf = (name: string) => (options: Partial<CsvTableOptions> = {}) => buildCsvTable(readCsvTable(name, dir), { ...defaults, ...options });

  it('a file missing 13 of the listed feature columns reports all 13, each with its own message', () => {
    const wanted = Array.from({ length: 15 }, (_, i) => `f${i + 1}`);
    const build = write('two-columns.csv', 'f1,f2,label\n1,2,a\n3,4,b\n');
    const error = dataErrorOf(() => build({ features: wanted }));
    const all = [error, ...error.others];
    expect(all).toHaveLength(13);
    expect(all.map((e) => e.code)).toEqual(Array(13).fill('E0515'));
    expect(all.map((e) => /no column `(\w+)`/.exec(e.message)?.[1])).toEqual(wanted.slice(2));
    expect(error.unlisted).toBe(0);
  });

  it('a missing label and a missing feature are both reported', () => {
    const build = write('no-label.csv', 'a,b\n1,2\n');
    const error = dataErrorOf(() => build({ features: ['a', 'zz'] }));
    expect([error, ...error.others].map((e) => e.message)).toEqual([
      expect.stringContaining('has no column `label` (the label)'),
      expect.stringContaining('has no column `zz` (listed in `features`)'),
    ]);
  });

  it('bad cells: the first 20 are listed in file order with line and column, the rest counted', () => {
    const rows = Array.from({ length: 30 }, (_, i) => `${i},x${i},a`);
    const build = write('bad-cells.csv', `p,q,label\n${rows.join('\n')}\n`);
    const error = dataErrorOf(() => build());
    const all = [error, ...error.others];
    expect(all).toHaveLength(20);
    expect(all.map((e) => [e.code, e.line, e.column])).toEqual(Array.from({ length: 20 }, (_, i) => ['E0511', i + 2, 2]));
    expect(error.unlisted).toBe(10);
  });

  it('with readLabel false (predict) the label column is neither read nor a feature', () => {
    const build = write('bad-label.csv', 'a,label,b\n1,,2\n3,7,4\n');
    const t = build({ categorical: false, readLabel: false });
    expect(t.featureNames).toEqual(['a', 'b']);
    expect(t.labels).toBeNull();
    expect(t.features).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});
