import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { layerFactoryName } from '../../src/lower/lower.js';
import * as runtimeIndex from '../../src/runtime/index.js';
import { analyze } from '../../src/frontend.js';
import { RUNTIME_FACTORIES } from '../../src/interpret/registry.js';
import { LAYER_KINDS_FOR_TEST, lowerSpec } from './lower-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function lowerExample(name: string) {
  const file = path.join(ROOT, 'examples', `${name}.mlspec`);
  const source = fs.readFileSync(file, 'utf8');
  const { ir } = analyze(source, file);
  return lowerSpec(ir!, source);
}

describe('lowering', () => {
  it('names only factories that both back ends know', () => {
    const calls = new Set<string>();
    const visit = (v: unknown) => {
      if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (typeof o.$call === 'string') calls.add(o.$call);
        if (typeof o.$ref === 'string') calls.add(o.$ref);
        Object.values(o).forEach(visit);
      }
    };
    for (const name of ['classic', 'iris', 'breast_cancer', 'digits_cnn', 'sine_lstm', 'reverse_transformer', 'residual']) visit(lowerExample(name));
    expect(calls.size).toBeGreaterThan(15);
    for (const c of calls) {
      expect(RUNTIME_FACTORIES.has(c), `interpreter lacks ${c}`).toBe(true);
      // Layer factories are the runtime's fallback for kinds without a printer (src/emit/model-code.ts).
      const exported = c.endsWith('LayerFactory') ? Object.keys(runtimeIndex.MLSPEC_LAYER_FACTORIES).some((kind) => layerFactoryName(kind) === c) : c in runtimeIndex;
      expect(exported, `the compiled programs' runtime index lacks ${c}`).toBe(true);
    }
  });

  it('has a layer factory for every layer kind', () => {
    for (const kind of LAYER_KINDS_FOR_TEST) {
      const name = `${kind.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}LayerFactory`;
      expect(RUNTIME_FACTORIES.has(name), name).toBe(true);
    }
  });

  it('makes full-batch gradient descent one batch per epoch', () => {
    const file = path.join(ROOT, 'examples', 'classic.mlspec');
    const source = fs.readFileSync(file, 'utf8').replace('adam(lr: 0.01)', 'gd(lr: 0.1)').replace('batch: full', 'batch: 10');
    const { ir } = analyze(source, file);
    const plan = lowerSpec(ir!, source);
    expect(plan.batch).toBe('full');
    expect(plan.optimizer.$call).toBe('createGd');
  });

  it('fingerprints what must not change on resume, and only that', () => {
    const a = lowerExample('iris');
    const file = path.join(ROOT, 'examples', 'iris.mlspec');
    const changed = fs.readFileSync(file, 'utf8').replace('epochs: 150', 'epochs: 10').replace('lr: 0.1,', 'lr: 0.2,');
    const { ir } = analyze(changed, file);
    const b = lowerSpec(ir!, changed);
    const differing = Object.keys(a.fingerprint).filter((k) => a.fingerprint[k] !== b.fingerprint[k]);
    expect(differing).toEqual(['optimizer']);
  });
});
