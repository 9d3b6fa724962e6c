/** Integer-token CSV columns as embedding input (dtype: int32), issue #17. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';

const file = 'test/fixtures/invalid/csv-token-outside-vocab.mlspec';
const source = fs.readFileSync(file, 'utf8');

describe('dtype: int32 on a CSV file', () => {
  it('is accepted when every feature cell is an integer below the vocab', () => {
    const { ir, diagnostics } = analyze(source.replace('vocab: 5', 'vocab: 10'), file);
    expect(diagnostics).toEqual([]);
    expect(ir).not.toBeNull();
  });

  it('names the first non-integer cell, and still refuses int32 for generated real-valued data', () => {
    const real = analyze(source.replace('"data/tokens.csv"', '"data/tokens-real.csv"').replace('vocab: 5', 'vocab: 10'), file).diagnostics;
    expect(real.map((d) => d.code)).toEqual(['E0606']);
    expect(real[0]!.message).toContain("column 't1' of data/tokens-real.csv holds `2.5` (data row 3)");
    const generated = source.replace('csv("data/tokens.csv", label: label, categorical: true)', 'random(samples: 20, features: 4, classes: 2)');
    expect(analyze(generated, file).diagnostics.map((d) => d.code)).toEqual(['E0606']);
  });
});
