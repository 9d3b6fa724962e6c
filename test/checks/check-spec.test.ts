import * as fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { checkSpec, rules } from '../../src/checks/index.js';
import { analyze } from '../../src/frontend.js';
import { buildIR } from '../../src/ir/build.js';
import { parse } from '../../src/syntax/parse.js';

const iris = fs.readFileSync('examples/iris.mlspec', 'utf8');

describe('checkSpec', () => {
  test('rules have unique ids and descriptions, one file each', () => {
    const ids = rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of rules) {
      expect(rule.description.length).toBeGreaterThan(10);
      expect(fs.existsSync(`src/checks/${rule.id}.ts`), rule.id).toBe(true);
    }
  });

  test('maxParams: the default allows the example, a small limit does not', () => {
    const { ir } = buildIR(parse(iris, 'examples/iris.mlspec').ast, 'examples/iris.mlspec');
    const context = { file: 'examples/iris.mlspec', baseDir: 'examples' };
    expect(checkSpec(ir!, context)).toEqual([]);
    // 4 -> 16 -> 3: 4 * 16 + 16 + 16 * 3 + 3 = 131 parameters.
    const tooBig = checkSpec(ir!, { ...context, maxParams: 130 });
    expect(tooBig.map((d) => d.code)).toEqual(['E0304']);
    expect(tooBig[0]!.message).toContain('131 parameters');
    expect(tooBig[0]!.message).toContain('--max-params 131');
    expect(checkSpec(ir!, { ...context, maxParams: 131 })).toEqual([]);
  });
});

describe('analyze', () => {
  test('diagnostics come sorted by position', () => {
    const source = iris.replace('dense(16, activation: relu)', 'dense(16, activation: relu, l2: -1)').replace('lr: 0.1', 'lr: -0.1');
    const { diagnostics } = analyze(source, 'examples/iris.mlspec');
    const positions = diagnostics.map((d) => [d.span.start.line, d.span.start.column]);
    expect(diagnostics.map((d) => d.code)).toEqual(['E0401', 'E0401']);
    expect(positions).toEqual([...positions].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
  });

  test('after a syntax error only syntax errors are reported, and there is no IR', () => {
    const { ir, diagnostics } = analyze(iris.replace('lr: 0.1, beta', 'lr: 0.1 beta').replace('dense(16', 'dens(16'), 'examples/iris.mlspec');
    expect(ir).toBeNull();
    expect(diagnostics.length).toBeGreaterThan(0);
    // The misspelled layer (E0103) is not reported until the syntax error is fixed.
    expect(diagnostics.every((d) => d.code === 'E0004')).toBe(true);
  });

  test('maxParams and baseDir options reach the checks', () => {
    expect(analyze(iris, 'examples/iris.mlspec', { maxParams: 100 }).diagnostics.map((d) => d.code)).toEqual(['E0304']);
    expect(analyze(iris, 'iris.mlspec', { baseDir: 'examples' }).diagnostics).toEqual([]);
    expect(analyze(iris, 'iris.mlspec').diagnostics.map((d) => d.code)).toEqual(['E0501']);
  });
});
