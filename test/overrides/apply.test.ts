import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { applyOverrides, OverrideError, parseOverride } from '../../src/overrides/apply.js';

const IRIS = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/iris.mlspec'), 'utf8');
const RESIDUAL = fs.readFileSync(path.resolve(import.meta.dirname, '../../examples/residual.mlspec'), 'utf8');
const set = (source: string, ...texts: string[]) => applyOverrides(source, texts.map(parseOverride));
const failure = (source: string, text: string) => {
  try {
    set(source, text);
  } catch (error) {
    expect(error).toBeInstanceOf(OverrideError);
    return (error as Error).message;
  }
  throw new Error(`--set ${text} was accepted`);
};

describe('applyOverrides', () => {
  it('replaces a written option of a property call, and a whole property', () => {
    expect(set(IRIS, 'optimizer.lr=0.01')).toContain('optimizer: momentum(lr: 0.01, beta: 0.9)');
    expect(set(IRIS, 'optimizer=adam(lr: 0.001)')).toContain('optimizer: adam(lr: 0.001)\n');
    expect(set(IRIS, 'schedule=cosine(steps: 1000)')).toContain('schedule: cosine(steps: 1000)\n');
  });

  it('adds an option that is not written, to a call or to a bare name', () => {
    expect(set(IRIS, 'optimizer.form=nesterov')).toContain('momentum(lr: 0.1, beta: 0.9, form: nesterov)');
    expect(set(IRIS.replace(/optimizer: .*/, 'optimizer: adam'), 'optimizer.lr=0.02')).toContain('optimizer: adam(lr: 0.02)');
  });

  it('sets section entries, nested sections and calls inside sections, adding absent ones', () => {
    const changed = set(IRIS, 'train.batch=64', 'data.split.test=0.2', 'data.split.validation=0.1', 'data.source.label=species', 'train.checkpoint_every=5');
    expect(changed).toContain('batch: 64');
    expect(changed).toMatch(/split \{ train: 0\.7, validation: 0\.1, test: 0\.2/);
    expect(changed).toMatch(/checkpoint_every: 5\n/);
    expect(analyze(changed, path.resolve(import.meta.dirname, '../../examples/iris.mlspec')).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('sets an option of a model node by its written or Keras-style name, positional or named', () => {
    expect(set(IRIS, 'model.dense_1.units=32')).toContain('dense(32, activation: relu)');
    expect(set(IRIS, 'model.dense_2.activation=sigmoid')).toContain('dense(3, activation: sigmoid)');
    expect(set(RESIDUAL, 'model.wide.units=4')).toContain('wide = dense(4, activation: tanh) <- x');
    expect(set(RESIDUAL, 'model.h.l2=0.01')).toContain('h = dense(16, activation: relu, l2: 0.01) <- x');
  });

  it('changes nothing else: the rest of the text is byte for byte the same', () => {
    const changed = set(IRIS, 'optimizer.lr=0.5');
    expect(changed.replace('lr: 0.5', 'lr: 0.1')).toBe(IRIS);
  });

  it('refuses unknown paths with a did-you-mean, and values that are not values', () => {
    expect(failure(IRIS, 'optimizer.lrr=0.1')).toBe("--set optimizer.lrr=0.1: momentum has no option 'lrr'. Did you mean 'lr'?");
    expect(failure(IRIS, 'optimiser.lr=0.1')).toBe("--set optimiser.lr=0.1: a spec has no 'optimiser'. Did you mean 'optimizer'?");
    expect(failure(IRIS, 'train.bach=4')).toBe("--set train.bach=4: the train section has no entry 'bach'. Did you mean 'batch'?");
    expect(failure(IRIS, 'model.dense_3.units=4')).toMatch(/the model has no node 'dense_3'\. Did you mean 'dense_1'\?/);
    expect(failure(IRIS, 'model.dense_1.unit=4')).toBe("--set model.dense_1.unit=4: dense has no option 'unit'. Did you mean 'units'?");
    expect(failure(IRIS, 'train.batch=')).toMatch(/the value is empty/);
    expect(failure(IRIS, 'train.batch=(')).toMatch(/'\(' is not a value of the language/);
    expect(failure(IRIS, 'lr')).toMatch(/write PATH=VALUE/);
    expect(failure(IRIS, 'train..batch=1')).toMatch(/'' is not a name/);
  });
});
