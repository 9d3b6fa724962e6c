/** E0207 is lifted for several inputs that each name their CSV columns, and kept (located) for what stays unsupported. */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';

const file = 'examples/shop_mixed.mlspec';
const source = fs.readFileSync(file, 'utf8');

describe('several inputs', () => {
  it('check accepts two inputs that each name their columns', () => {
    const { ir, diagnostics } = analyze(source, file);
    expect(diagnostics).toEqual([]);
    expect(ir!.model.inputs).toEqual(['numeric', 'city']);
  });

  it('an input without from among several is E0207 at that input', () => {
    const without = source.replace('city = input(shape: [1], dtype: int32, from: [city])', 'city = input(shape: [1], dtype: int32)');
    const diagnostics = analyze(without, file).diagnostics;
    expect(diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).toEqual([['E0207', 9, 3]]);
    expect(diagnostics[0]!.message).toContain("input 'city' does not say which columns it reads");
  });

  it('two outputs stay E0207, at the second output', () => {
    const two = source.replace('output: probs', 'output: [probs, z]');
    const diagnostics = analyze(two, file).diagnostics.filter((d) => d.code === 'E0207');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain('training supports exactly one output');
    expect(diagnostics[0]!.span.start.line).toBe(16);
  });
});
