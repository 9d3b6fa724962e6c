import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readDataFacts } from '../../src/checks/data-facts.js';
import type { DataIR } from '../../src/ir/types.js';
import { fileStartSpan } from '../../src/diagnostics/diagnostic.js';

function data(source: Record<string, unknown>): DataIR {
  return {
    source: { span: fileStartSpan, spans: {}, ...source } as DataIR['source'],
    reshape: null,
    normalize: 'none',
    one_hot: false,
    split: { train: 1, validation: 0, test: 0, stratify: false, span: fileStartSpan, spans: {} },
    shuffle: true,
    seed: null,
    spans: {},
    span: fileStartSpan,
  };
}

const csv = (file: string, label: string, categorical = true) => data({ kind: 'csv', path: file, label, features: null, categorical, missing: 'error' });

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-facts-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

describe('readDataFacts', () => {
  test('CSV: header, features and the class names of the label column', () => {
    const text = fs.readFileSync('examples/data/iris.csv', 'utf8').trim().split(/\r?\n/);
    const header = text[0]!.split(',');
    const classes = [...new Set(text.slice(1).map((line) => line.split(',').at(-1)))].sort();
    const facts = readDataFacts(csv('data/iris.csv', 'species'), 'examples', 'x.mlspec');
    expect(facts.problem).toBeNull();
    expect(facts.header).toEqual(header);
    expect(facts.sampleShape).toEqual([header.length - 1]);
    expect(facts.labels).toEqual({ kind: 'classes', count: classes.length, names: classes });
  });

  test('CSV without categorical labels: one real-valued target', () => {
    expect(readDataFacts(csv('data/iris.csv', 'petal_width', false), 'examples', 'x.mlspec').labels).toEqual({ kind: 'values', targets: 1 });
  });

  test('a missing file or a folder is a diagnostic at the path, never an exception', () => {
    const missing = readDataFacts(csv('nope.csv', 'y'), 'examples', 'x.mlspec');
    expect(missing.problem).toMatchObject({ code: 'E0501', severity: 'error', file: 'x.mlspec' });
    expect(missing.problem!.message).toContain('does not exist');
    expect(readDataFacts(csv('data', 'y'), 'examples', 'x.mlspec').problem?.message).toContain('it is a folder');
  });

  test('quoted CSV goes through the full parser', () => {
    const file = path.join(temp, 'quoted.csv');
    fs.writeFileSync(file, 'name,"a, b",label\r\n"x",1,cat\r\n"y",2,dog\r\n"z",3,cat\r\n');
    const facts = readDataFacts(csv(file, 'label'), temp, 'x.mlspec');
    expect(facts.header).toEqual(['name', 'a, b', 'label']);
    expect(facts.labels).toEqual({ kind: 'classes', count: 2, names: ['cat', 'dog'] });
  });

  test('a changed file is read again', () => {
    const file = path.join(temp, 'changing.csv');
    fs.writeFileSync(file, 'a,y\n1,p\n2,q\n');
    expect(readDataFacts(csv(file, 'y'), temp, 'x.mlspec').labels).toMatchObject({ count: 2 });
    fs.writeFileSync(file, 'a,y\n1,p\n2,q\n3,r\n4,s\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(readDataFacts(csv(file, 'y'), temp, 'x.mlspec').labels).toMatchObject({ count: 4 });
  });

  test('generated sources: shapes and labels from their options', () => {
    expect(readDataFacts(data({ kind: 'random', samples: 5, features: 7, targets: 2, classes: 0 }), '.', 'x')).toMatchObject({
      sampleShape: [7],
      labels: { kind: 'values', targets: 2 },
      tokens: false,
    });
    expect(readDataFacts(data({ kind: 'random', samples: 5, features: 7, targets: 1, classes: 4 }), '.', 'x').labels).toEqual({ kind: 'classes', count: 4, names: null });
    expect(readDataFacts(data({ kind: 'sine', samples: 5, window: 12, noise: 0, period: 25 }), '.', 'x')).toMatchObject({ sampleShape: [12, 1] });
    expect(readDataFacts(data({ kind: 'sequence', task: 'sort', samples: 5, length: 6, vocab: 9 }), '.', 'x')).toMatchObject({
      sampleShape: [6],
      labels: { kind: 'tokens', length: 6, count: 9 },
      tokens: true,
    });
  });
});
