/**
 * Inputs the fuzzer found that crashed or hung mlspec, kept as tests (each went through
 * exerciseSpec: analyze, compile, dry run), and a check that the harness reports what it should.
 */
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { analyze } from '../../src/frontend.js';
import { diagnosticProblem, exerciseSpec, prepareFuzzRuntime } from './pipeline.js';

const file = path.join(process.cwd(), 'fuzz', 'regression.mlspec');

const spec = (model: string, rest = 'loss: mse\noptimizer: adam(lr: 0.01)') =>
  `model {\n${model}\n}\ndata { source: random(samples: 16, features: 3) }\n${rest}\ntrain { epochs: 1, batch: 4 }\n`;

beforeAll(prepareFuzzRuntime);

describe('found by the fuzzer', () => {
  it('huber loss trains (tfjs has no gradient for the comparison it used)', async () => {
    const source = spec('  input(shape: [3])\n  dense(1)', 'loss: huber(delta: 0.5)\noptimizer: sgd(lr: 0.01)');
    expect((await exerciseSpec(source, file)).stage).toBe('trained');
  });

  it.each(['_h', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'class'])(
    "a node named %s builds and trains (tfjs rejects or mis-keys such names; they get a 'node-' prefix there)",
    async (name) => {
      const source = spec(`  ${name} = input(shape: [3])\n  h = dense(3, activation: relu) <- ${name}\n  m = concat <- ${name}, h\n  d = dense(1) <- m`);
      expect((await exerciseSpec(source, file)).stage).toBe('trained');
    },
  );

  it('flatten of a one-axis sample is E0301 at check time, not a tfjs error at run time', async () => {
    const source = spec('  input(shape: [3])\n  flatten\n  dense(1)');
    const { diagnostics } = analyze(source, file);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['E0301', 3]]);
    expect(diagnostics[0]!.message).toContain('remove the flatten');
    expect((await exerciseSpec(source, file)).stage).toBe('rejected');
  });

  it.each(['/dev/zero', '/dev/stdin'])('a data path naming a device (%s) is E0501 at once, not read forever', async (device) => {
    const source = spec('  input(shape: [1])\n  dense(1)').replace('random(samples: 16, features: 3)', `csv("${device}", label: x)`);
    const started = performance.now();
    const { diagnostics } = analyze(source, file);
    expect(diagnostics.map((d) => d.code)).toEqual(['E0501']);
    expect(diagnostics[0]!.message).toContain('it is not a regular file');
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a pool window of 2^31 with padding: same is E0305 (tfjs looped over the whole window in its gradient: hours)', async () => {
    const source = spec('  input(shape: [3, 1])\n  conv1d(2, 1)\n  max_pool1d(2147483648, padding: same)\n  flatten\n  dense(1)').replace(
      'features: 3) }',
      'features: 3)\n  reshape: [3, 1] }',
    );
    const { diagnostics } = analyze(source, file);
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([['E0305', 4]]);
    expect(diagnostics[0]!.message).toContain('use one of at most 3');
    // The same window on the whole input is fine, and trains.
    expect((await exerciseSpec(source.replace('2147483648', '3'), file)).stage).toBe('trained');
  });

  it('a model without weights trains: each step logs its loss and changes nothing (tfjs refused gradients of no variables)', async () => {
    const source = spec('  input(shape: [3])\n  activation(sigmoid)').replace('features: 3)', 'features: 3, targets: 3)').replace('optimizer: adam(lr: 0.01)', 'optimizer: adam(lr: 0.01)\nclip: global_norm(1.0)');
    expect(analyze(source, file).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((await exerciseSpec(source, file)).stage).toBe('trained');
  });

  it('20,000 diagnostics on one 60 KB line print in seconds, not minutes', () => {
    const source = spec(`  input(shape: [3])\n  dense(1)\n  output: [${Array.from({ length: 20_000 }, () => '1').join(', ')}]`);
    const { diagnostics } = analyze(source, file);
    expect(diagnostics.length).toBe(20_000);
    const started = performance.now();
    const text = formatDiagnostics(diagnostics, new Map([[file, source]]), { color: false });
    expect(performance.now() - started).toBeLessThan(10_000);
    // Each excerpt is a window of the line around its span, marked where it was cut.
    const excerpt = text.split('\n')[1]!;
    expect(excerpt.length).toBeLessThan(400);
    expect(excerpt).toMatch(/^4 \| .*…$/);
  });
});

describe('the harness itself', () => {
  it('finds diagnostics that point outside the source', () => {
    const at = (line: number, column: number) => ({ line, column, offset: 0 });
    const make = (start: [number, number], end: [number, number], code = 'E0101') => [
      { code, severity: 'error' as const, message: 'x.', file: 'f', span: { start: at(...start), end: at(...end) } },
    ];
    const source = 'loss: mse\noptimizer: adam';
    expect(diagnosticProblem(source, 'f', make([1, 1], [1, 10]))).toBeNull();
    expect(diagnosticProblem(source, 'f', make([1, 1], [1, 11]))).toMatch(/column out of range/);
    expect(diagnosticProblem(source, 'f', make([3, 1], [3, 1]))).toMatch(/line out of range/);
    expect(diagnosticProblem(source, 'f', make([2, 3], [1, 2]))).toMatch(/start after end/);
    expect(diagnosticProblem(source, 'f', make([1, 1], [1, 1], 'oops'))).toMatch(/malformed/);
  });

  it.each(['non-numeric.csv', 'ragged.csv'])('reports data-error: %s passes check and is refused by the data loader with a DataError', async (csv) => {
    const data = path.join(process.cwd(), 'test', 'fixtures', 'csv', csv);
    const source = spec('  input(shape: [2])\n  dense(2, activation: softmax)', 'loss: sparse_categorical_cross_entropy\noptimizer: adam(lr: 0.01)').replace(
      'random(samples: 16, features: 3)',
      `csv(${JSON.stringify(data)}, label: label, categorical: true)`,
    );
    expect(analyze(source, file).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect((await exerciseSpec(source, file)).stage).toBe('data-error');
  });

  it('reports the stages: rejected, trained, compiled only (too large to build)', async () => {
    expect((await exerciseSpec('model {', file)).stage).toBe('rejected');
    expect((await exerciseSpec(spec('  input(shape: [3])\n  dense(1)'), file)).stage).toBe('trained');
    expect((await exerciseSpec(spec('  input(shape: [3])\n  dense(40000)\n  dense(1)'), file)).stage).toBe('compiled');
  });
});
