/**
 * The digests a compiled program carries of its parts as compiled (src/emit/compiled-digests.ts):
 * the same programDigests a run computes from the unedited plan, so an unedited run lists no
 * edits and a changed part is listed; a model too large to build at compile time gets no digest,
 * and its runs do not list model edits rather than list one falsely.
 */
import { describe, expect, it } from 'vitest';
import { compiledDigests, DIGEST_MAX_PARAMS } from '../../src/emit/compiled-digests.js';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { createAdam } from '../../src/runtime/factories.js';
import { editedParts } from '../../src/runtime/run-description.js';

const spec = (units: number, inputs: number) => `model {
  input(shape: [${inputs}])
  dense(${units}, activation: relu)
  dense(1)
}
data { source: random(samples: 12, features: ${inputs}) }
loss: mse
optimizer: sgd(lr: 0.01)
train { epochs: 2, batch: 4, seed: 5 }
`;

function lowered(source: string) {
  const { ir } = analyze(source, '/tmp/tiny.mlspec');
  return { ir: ir!, plan: lowerSpec(ir!, source) };
}

describe('compiled digests', () => {
  it('match the unedited plan as a run digests it, and tell an edited part', () => {
    const { ir, plan } = lowered(spec(8, 3));
    const compiled = compiledDigests(ir, plan, '/tmp/tiny.mlspec');
    expect(Object.keys(compiled)).toEqual(['model', 'data', 'loss', 'optimizer', 'learningRate', 'clip', 'schedule', 'metrics', 'stop', 'epochs', 'batch', 'shuffle', 'seed']);
    const run = evaluatePlan(plan, '/tmp/tiny.mlspec');
    const built = run.buildModel(plan.seed);
    expect(editedParts(compiled, run, built)).toEqual([]);
    expect(editedParts(compiled, { ...run, optimizer: createAdam({}), epochs: 3 }, built)).toEqual(['optimizer', 'epochs']);
    const wider = evaluatePlan(lowered(spec(9, 3)).plan, '/tmp/tiny.mlspec');
    const widerModel = wider.buildModel(plan.seed);
    expect(editedParts(compiled, wider, widerModel)).toEqual(['model']);
    // Without a model digest (a very large model), model edits are not listed.
    const { model: _model, ...withoutModel } = compiled;
    expect(editedParts(withoutModel, wider, widerModel)).toEqual([]);
    built.model.dispose();
    widerModel.model.dispose();
  });

  it(`build no model over ${DIGEST_MAX_PARAMS.toLocaleString('en-US')} parameters`, () => {
    // 5,000 -> 6,000: 30,006,000 weights and biases, within the checks' limit but over the digests'.
    const { ir, plan } = lowered(spec(6000, 5000));
    const compiled = compiledDigests(ir, plan, '/tmp/tiny.mlspec');
    expect(compiled.model).toBeUndefined();
    expect(Object.keys(compiled)).toHaveLength(12);
  });
});
