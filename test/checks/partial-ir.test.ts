/**
 * Checks over a partial IR: when a part of the spec is missing or unusable, the IR stays null but
 * every rule whose parts are present still runs, and no rule reports a consequence of the
 * missing part. The mixed cases with exact positions are fixtures (test/fixtures/invalid/partial-*).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkSpec, rules, type SpecPart } from '../../src/checks/index.js';
import { fileStartSpan } from '../../src/diagnostics/diagnostic.js';
import { analyze } from '../../src/frontend.js';
import { buildIR } from '../../src/ir/build.js';
import { parse } from '../../src/syntax/parse.js';

const allParts: readonly SpecPart[] = ['model', 'data', 'loss', 'optimizer', 'clip', 'schedule', 'train'];

const examples = fs
  .readdirSync('examples')
  .filter((name) => name.endsWith('.mlspec'))
  .sort()
  .map((name) => ({ file: path.join('examples', name), source: fs.readFileSync(path.join('examples', name), 'utf8') }));

/** The source without its top-level item `key` (a `key: ...` line, or `key {` through the `}` that closes it at column 1). */
function withoutItem(source: string, key: string): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.startsWith(`${key}:`) || line.startsWith(`${key} {`));
  if (start < 0) return source;
  const end = lines[start]!.endsWith('{') ? lines.indexOf('}', start) : start;
  return [...lines.slice(0, start), ...lines.slice(end + 1)].join('\n');
}

/** Each part written so that it cannot be built, and the one diagnostic that says so. */
const unusable: Record<SpecPart, { text: string; code: string }> = {
  model: { text: 'model {\n  bogus_layer(3)\n}', code: 'E0103' },
  data: { text: 'data {\n  source: bogus_source(samples: 10)\n}', code: 'E0104' },
  loss: { text: 'loss: bogus_loss', code: 'E0104' },
  optimizer: { text: 'optimizer: bogus_optimizer(lr: 0.1)', code: 'E0104' },
  clip: { text: 'clip: bogus_clip(1.0)', code: 'E0104' },
  schedule: { text: 'schedule: bogus_schedule(rate: 0.5)', code: 'E0104' },
  // A section written as a property: the run's settings (metrics, stop rule) are unknown.
  train: { text: 'train: 5', code: 'E0110' },
};

const codes = (diagnostics: readonly { code: string; severity: string }[], severity: string): string[] =>
  diagnostics.filter((d) => d.severity === severity).map((d) => d.code);

describe('one unusable part of a valid spec', () => {
  for (const { file, source } of examples) {
    const original = analyze(source, file);

    for (const part of allParts) {
      test(`${path.basename(file)}: unusable ${part} gives no IR and only its own error`, () => {
        const broken = `${withoutItem(source, part)}\n${unusable[part].text}\n`;
        const { ir, diagnostics } = analyze(broken, file);
        expect(ir).toBeNull();
        // The rest of the spec is valid: any other error would be a consequence of the missing part.
        expect(codes(diagnostics, 'error')).toEqual([unusable[part].code]);
        // The rules that still run may drop warnings, never add them.
        for (const code of codes(diagnostics, 'warning')) expect(codes(original.diagnostics, 'warning')).toContain(code);
      });
    }

    for (const part of ['model', 'data', 'loss', 'optimizer'] as const) {
      test(`${path.basename(file)}: without ${part} only E0106 is reported`, () => {
        const { ir, diagnostics } = analyze(withoutItem(source, part), file);
        expect(ir).toBeNull();
        expect(codes(diagnostics, 'error')).toEqual(['E0106']);
      });
    }
  }
});

describe('buildIR', () => {
  const iris = examples.find((example) => example.file.endsWith('iris.mlspec'))!;

  test('the partial IR holds every usable part; the IR is null', () => {
    const source = iris.source.replace(/^optimizer: .*$/m, 'optimizer: adamm(lr: 0.01)');
    const { ir, partial } = buildIR(parse(source, iris.file).ast, iris.file);
    expect(ir).toBeNull();
    expect(Object.keys(partial).filter((key) => (allParts as string[]).includes(key)).sort()).toEqual(
      ['clip', 'data', 'loss', 'model', 'schedule', 'train'],
    );
    // iris writes no clip rule: that is a present part with the value null, as in a full IR.
    expect(partial.clip).toBeNull();
    expect(partial.schedule?.kind).toBe('exponential');
  });

  test('a spec that builds has its IR as the partial IR', () => {
    const { ir, partial } = buildIR(parse(iris.source, iris.file).ast, iris.file);
    expect(ir).not.toBeNull();
    expect(partial).toBe(ir);
  });
});

describe('checkSpec on a partial IR', () => {
  test('each rule names the parts it needs', () => {
    for (const rule of rules) for (const part of rule.needs) expect(allParts, rule.id).toContain(part);
    // Only the option checks (domains, float32 magnitudes) run without any part: they walk whatever is present.
    expect(rules.filter((rule) => rule.needs.length === 0).map((rule) => rule.id)).toEqual(['option-domains', 'option-magnitudes']);
  });

  test('with no part at all, nothing runs that needs one and nothing throws', () => {
    expect(checkSpec({ file: 'x.mlspec', span: fileStartSpan }, { file: 'x.mlspec', baseDir: '.' })).toEqual([]);
  });

  test('a rule whose parts are absent is skipped; the others report', () => {
    // Optimizer unknown, lr of the schedule out of range, a dropout rate of 1: the two
    // domains are reported, the rules that need the optimizer (full-batch-gd) are not run.
    const source = [
      'model {',
      '  input(shape: [4])',
      '  dropout(1.0)',
      '  dense(1)',
      '}',
      'data {',
      '  source: random(samples: 20, features: 4)',
      '}',
      'loss: mse',
      'optimizer: gdd(lr: 0.1)',
      'schedule: exponential(rate: -0.5, every: 10)',
      'train {',
      '  batch: 8',
      '}',
    ].join('\n');
    const { ir, diagnostics } = analyze(source, 'x.mlspec');
    expect(ir).toBeNull();
    expect(diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`)).toEqual(['E0401 3:11', 'E0104 10:12', 'E0401 11:29']);
  });
});
