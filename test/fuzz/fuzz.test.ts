/**
 * The quick fuzz run of `npm test`: 5,000 generated inputs through analyze, compile and the dry
 * run (test/fuzz/pipeline.ts), with a fixed seed so a failure replays; fast-check shrinks a
 * failing input before reporting it. `npm run fuzz` runs the same pipeline on 100,000 inputs.
 * Set FUZZ_SEED to try other inputs.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { fuzzInputs, type InputWeights } from './inputs.js';
import { exerciseSpec, prepareFuzzRuntime, type Stage } from './pipeline.js';

const SEED = process.env.FUZZ_SEED === undefined ? 424242 : Number(process.env.FUZZ_SEED);
const RUNS = 5000;
/** Per input; typical inputs take milliseconds, the bound only catches runaway work. */
const TIME_BOUND_MS = 10_000;

/** Lighter on valid specs than `npm run fuzz` (compiling one takes tens of milliseconds). */
const QUICK_MIX: InputWeights = { coherent: 1, 'mutated-coherent': 1, schema: 3, 'mutated-example': 4, 'random-bytes': 2, 'random-unicode': 1, semantic: 0 };
// semantic inputs have their own front-end run in npm test (test/fuzz/semantic.test.ts).

describe('fuzzing the whole pipeline', () => {
  beforeAll(prepareFuzzRuntime);

  it(`answers ${RUNS} generated inputs with diagnostics or a result, each within ${TIME_BOUND_MS / 1000} s`, async () => {
    const stages = new Map<Stage, number>();
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fuzzInputs(process.cwd(), QUICK_MIX), async (input) => {
        const started = performance.now();
        const outcome = await exerciseSpec(input.source, input.file);
        const elapsed = performance.now() - started;
        slowest = Math.max(slowest, elapsed);
        if (elapsed > TIME_BOUND_MS) throw new Error(`took ${elapsed.toFixed(0)} ms (${input.kind})`);
        stages.set(outcome.stage, (stages.get(outcome.stage) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The generators must reach every stage often enough for the run to mean something.
    const count = (stage: Stage) => stages.get(stage) ?? 0;
    expect(count('rejected')).toBeGreaterThan(RUNS / 2);
    expect(count('trained')).toBeGreaterThan(RUNS / 20);
    expect(slowest).toBeLessThan(TIME_BOUND_MS);
    // A failure is shrunk before it is reported, which takes longer than the run itself.
  }, 600_000);
});
