/**
 * Structured fixes: applying the edits a diagnostic carries removes that diagnostic. Covers the
 * derived did-you-mean fixes and the rules that attach their own (input shape, from_logits, '='
 * for ':').
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Fix } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/frontend.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IRIS_FILE = path.join(ROOT, 'examples/iris.mlspec');
const IRIS = fs.readFileSync(IRIS_FILE, 'utf8');

function apply(source: string, fix: Fix): string {
  return [...fix.edits].sort((a, b) => b.span.start.offset - a.span.start.offset).reduce((text, e) => text.slice(0, e.span.start.offset) + e.newText + text.slice(e.span.end.offset), source);
}

function onlyFix(source: string, code: string): { d: Diagnostic; fixed: string } {
  const d = analyze(source, IRIS_FILE).diagnostics.find((x) => x.code === code);
  expect(d, `expected ${code}`).toBeDefined();
  expect(d!.fixes).toHaveLength(1);
  return { d: d!, fixed: apply(source, d!.fixes![0]!) };
}

describe('fixes', () => {
  const cases: [string, string, string, string][] = [
    ['a misspelled optimizer', IRIS.replace('momentum(', 'momentun('), 'E0104', "Replace 'momentun' with 'momentum'"],
    ['a misspelled option', IRIS.replace('activation: relu', 'activaton: relu'), 'E0102', "Replace 'activaton' with 'activation'"],
    ['a misspelled section', IRIS.replace('train {', 'trian {'), 'E0101', "Replace 'trian' with 'train'"],
    ['an input shape that does not match the data', IRIS.replace('input(shape: [4])', 'input(shape: [5])'), 'E0604', 'Write input(shape: [4])'],
    ['= where : belongs', IRIS.replace('epochs: 150', 'epochs = 150'), 'E0004', "Write ':' instead of '='"],
    [
      'from_logits: true after a softmax',
      IRIS.replace('loss: sparse_categorical_cross_entropy', 'loss: sparse_categorical_cross_entropy(from_logits: true)'),
      'E0603',
      'Write from_logits: false',
    ],
  ];
  for (const [what, source, code, title] of cases) {
    it(`${what}: ${title}, and the problem is gone`, () => {
      const { d, fixed } = onlyFix(source, code);
      expect(d.fixes![0]!.title).toBe(title);
      expect(analyze(fixed, IRIS_FILE).diagnostics.filter((x) => x.code === code)).toEqual([]);
      expect(analyze(fixed, IRIS_FILE).diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
    });
  }

  it('names where the softmax is, as related information', () => {
    const source = IRIS.replace('loss: sparse_categorical_cross_entropy', 'loss: sparse_categorical_cross_entropy(from_logits: true)');
    const d = analyze(source, IRIS_FILE).diagnostics.find((x) => x.code === 'E0603')!;
    expect(d.related?.[0]?.message).toBe('the softmax is here');
    expect(d.related?.[0]?.span.start.line).toBe(8);
  });

  it('offers no edit for advice that is not a name', () => {
    const d = analyze(IRIS.replace('optimizer: momentum(lr: 0.1, beta: 0.9)', 'optimizer: sgd(lr: 0.1, momentum: 0.9)'), IRIS_FILE).diagnostics.find((x) => x.code === 'E0102');
    expect(d).toBeDefined();
    expect(d!.fixes ?? []).toEqual([]);
  });
});
