import { describe, expect, test } from 'vitest';
import { buildIR } from '../../src/ir/build.js';
import type { Span } from '../../src/diagnostics/diagnostic.js';
import type { LayerNode, SpecIR } from '../../src/ir/types.js';
import { parse } from '../../src/syntax/parse.js';

function build(source: string) {
  const parsed = parse(source, 'spec.mlspec');
  expect(parsed.diagnostics).toEqual([]);
  return buildIR(parsed.ast, 'spec.mlspec');
}

function ir(source: string): SpecIR {
  const result = build(source);
  expect(result.diagnostics.map((d) => d.message)).toEqual([]);
  expect(result.ir).not.toBeNull();
  return result.ir!;
}

const rest = `
data { source: random(samples: 10, features: 4) }
loss: mse
optimizer: adam
`;

const node = (spec: SpecIR, name: string): LayerNode => spec.model.nodes.find((n) => n.name === name)!;

describe('buildIR: the model', () => {
  test('generates Keras-style names and chains unnamed layers', () => {
    const spec = ir(`model {\n input(shape: [4])\n dense(8)\n dropout(0.1)\n dense(1)\n}\n${rest}`);
    expect(spec.model.nodes.map((n) => n.name)).toEqual(['input_1', 'dense_1', 'dropout_1', 'dense_2']);
    expect(spec.model.nodes.map((n) => n.inputs.map((r) => r.name))).toEqual([[], ['input_1'], ['dense_1'], ['dropout_1']]);
    expect(spec.model.nodes.every((n) => !n.named)).toBe(true);
    expect(spec.model.inputs).toEqual(['input_1']);
    expect(spec.model.outputs).toEqual(['dense_2']);
  });

  test('a generated name skips names the author wrote', () => {
    const spec = ir(`model {\n x = input(shape: [4])\n dense_1 = dense(8)\n dense(1)\n}\n${rest}`);
    expect(spec.model.nodes.map((n) => n.name)).toEqual(['x', 'dense_1', 'dense_2']);
    expect(spec.model.nodes[1]!.named).toBe(true);
  });

  test('named inputs and output: override the defaults', () => {
    const spec = ir(`model {\n x = input(shape: [4])\n a = dense(4) <- x\n b = dense(4) <- x\n s = add <- a, b\n out = dense(1) <- s\n output: out\n}\n${rest}`);
    expect(node(spec, 's').inputs.map((r) => r.name)).toEqual(['a', 'b']);
    expect(spec.model.outputs).toEqual(['out']);
    expect(spec.model.outputSpans[0]!.start.line).toBe(7);
  });

  test('fills layer defaults and expands scalars where pairs are expected', () => {
    const spec = ir(`model {\n input(shape: [8, 8, 1])\n conv2d(16, 3)\n max_pool2d(2)\n avg_pool2d(size: [3, 2], stride: 1)\n flatten\n dense(1)\n}\n${rest}`);
    expect(node(spec, 'conv2d_1').config).toEqual({
      filters: 16,
      kernel: [3, 3],
      stride: [1, 1],
      padding: 'valid',
      activation: 'linear',
      initializer: 'glorot_uniform',
      use_bias: true,
      l1: 0,
      l2: 0,
    });
    expect(node(spec, 'max_pool2d_1').config).toEqual({ size: [2, 2], stride: [2, 2], padding: 'valid' });
    expect(node(spec, 'avg_pool2d_1').config).toEqual({ size: [3, 2], stride: [1, 1], padding: 'valid' });
    expect(node(spec, 'flatten_1').config).toEqual({});
  });

  test('spans record exactly the written options, at their values', () => {
    const spec = ir(`model {\n input(shape: [4])\n dense(8, activation: relu)\n}\n${rest}`);
    const dense = node(spec, 'dense_1') as LayerNode & { spans: Record<string, Span> };
    expect(Object.keys(dense.spans).sort()).toEqual(['activation', 'units']);
    expect(dense.spans.units!.start).toMatchObject({ line: 3, column: 8 });
    expect(dense.spans.activation!.start).toMatchObject({ line: 3, column: 23 });
    expect(dense.spans.activation!.end).toMatchObject({ line: 3, column: 27 });
  });
});

describe('buildIR: data, loss, optimizer, schedule, train', () => {
  const model = 'model {\n input(shape: [4])\n dense(3, activation: softmax)\n}\n';

  test('one_hot is true exactly for categorical cross-entropy', () => {
    const with_ = (loss: string) => ir(`${model}data { source: random(samples: 10, features: 4, classes: 3) }\nloss: ${loss}\noptimizer: adam\n`).data.one_hot;
    expect(with_('categorical_cross_entropy')).toBe(true);
    expect(with_('sparse_categorical_cross_entropy')).toBe(false);
    expect(with_('mse')).toBe(false);
  });

  test('the split: train 1 when absent, 1 - validation - test when omitted', () => {
    const absent = ir(`${model}${rest}`).data.split;
    expect([absent.train, absent.validation, absent.test, absent.stratify]).toEqual([1, 0, 0, false]);
    const partial = ir(`${model}data {\n source: random(samples: 10, features: 4)\n split { validation: 0.25, test: 0.25 }\n}\nloss: mse\noptimizer: adam\n`).data.split;
    expect(partial.train).toBeCloseTo(0.5, 12);
    expect(Object.keys(partial.spans).sort()).toEqual(['test', 'validation']);
  });

  test('column names may be identifiers or strings', () => {
    const a = ir(`${model}data { source: csv("d.csv", label: species, features: [a, "b c"]) }\nloss: mse\noptimizer: adam\n`).data.source;
    expect(a).toMatchObject({ kind: 'csv', path: 'd.csv', label: 'species', features: ['a', 'b c'], categorical: false, missing: 'error' });
    const b = ir(`${model}data { source: csv("d.csv", "species") }\nloss: mse\noptimizer: adam\n`).data.source;
    expect(b).toMatchObject({ label: 'species', features: null });
  });

  test('optimizer, clip, schedule and stop defaults', () => {
    const spec = ir(`${model}${rest.replace('optimizer: adam', 'optimizer: rmsprop(0.01)\nclip: value(0.5)\nschedule: warmup(steps: 10)')}train { stop: early(monitor: val_accuracy) }\n`);
    expect(spec.optimizer).toMatchObject({ kind: 'rmsprop', lr: 0.01, rho: 0.9, epsilon: 1e-7, momentum: 0, weight_decay: 0 });
    expect(spec.clip).toMatchObject({ kind: 'value', limit: 0.5 });
    expect(spec.schedule).toMatchObject({ kind: 'warmup', steps: 10, unit: 'step', then: { kind: 'constant', spans: {} } });
    expect(spec.train.stop).toMatchObject({ kind: 'early', monitor: 'val_accuracy', mode: 'max', patience: 0, min_delta: 0, restore_best: false });
    expect(spec.train).toMatchObject({ epochs: 1, batch: 32, seed: 0, metrics: [], checkpoint_every: 1, checkpoint_seconds: 60 });
  });

  test('absent schedule and clip: constant and none', () => {
    const spec = ir(`${model}${rest}`);
    expect(spec.schedule.kind).toBe('constant');
    expect(spec.clip).toBeNull();
    expect(spec.loss).toMatchObject({ kind: 'mse', spans: {} });
  });

  test('batch: full and plateau mode from the monitor', () => {
    const spec = ir(`${model}${rest}schedule: plateau(monitor: val_loss)\ntrain { batch: full }\n`);
    expect(spec.train.batch).toBe('full');
    expect(spec.schedule).toMatchObject({ kind: 'plateau', mode: 'min', factor: 0.1, patience: 10 });
  });
});

describe('buildIR: problems', () => {
  const codes = (source: string) => build(source).diagnostics.map((d) => d.code);

  test('reports every problem of a file at once', () => {
    const result = build(`model {\n input(shape: [4])\n dens(8)\n dense(units: 8, unit: 2)\n}\ndata { source: random(samples: 10, features: 4) }\nlos: mse\noptimizer: adma\n`);
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(['E0101', 'E0102', 'E0103', 'E0104', 'E0106']);
    expect(result.ir).toBeNull();
  });

  test('a wrong value of an optional option still builds, with the default', () => {
    const result = build(`model {\n input(shape: [4])\n dense(1, use_bias: 1)\n}\n${rest}`);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E0105']);
    expect(result.ir && (node(result.ir, 'dense_1').config as { use_bias: boolean }).use_bias).toBe(true);
  });

  test('the IR is null when a required part is missing', () => {
    expect(build(`model {\n input(shape: [4])\n}\nloss: mse\noptimizer: adam\n`).ir).toBeNull();
    expect(build(`model {\n input(shape: [4])\n dense()\n}\n${rest}`).ir).toBeNull();
  });

  test('a misspelled required option is reported once, not also as missing', () => {
    expect(codes(`model {\n input(shape: [4])\n dense(unit: 3)\n}\n${rest}`)).toEqual(['E0102']);
  });

  test('duplicates, positional order and arity of positional arguments', () => {
    expect(codes(`model {\n input(shape: [4])\n dense(3, units: 4)\n}\n${rest}`)).toEqual(['E0107']);
    expect(codes(`model {\n input(shape: [4])\n dense(activation: relu, 3)\n}\n${rest}`)).toEqual(['E0108']);
    expect(codes(`model {\n input(shape: [4])\n flatten(2)\n}\n${rest}`)).toEqual(['E0109']);
    expect(codes(`model {\n input(shape: [4])\n dense(1)\n output: 3\n}\n${rest}`)).toEqual(['E0105']);
  });

  test('type errors name the option and the expected type', () => {
    const result = build(`model {\n input(shape: [4])\n dense(1)\n}\n${rest}train { batch: "8" }\n`);
    expect(result.diagnostics.map((d) => d.message)).toEqual(["Option 'batch' of the train section expects an integer or full, got \"8\"."]);
    expect(result.diagnostics[0]!.notes).toEqual(['Write numbers without quotes: 8.']);
  });
});
