/**
 * The semantic fuzz run of `npm test` (front end only): 3,000 well-formed but wrong specs from
 * test/fuzz/semantic-specs.ts, each of which must get its documented diagnostic, well formed and
 * inside the source, and never an exception. `npm run fuzz` runs them through the whole pipeline.
 * Set FUZZ_SEED to try other inputs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { diagnosticProblem } from './pipeline.js';
import { semanticMismatch, semanticSpec, type SemanticCase } from './semantic-specs.js';

const SEED = process.env.FUZZ_SEED === undefined ? 171717 : Number(process.env.FUZZ_SEED);
const RUNS = 3000;

describe('semantic fuzzing', () => {
  it(`gives each of ${RUNS} wrong-but-well-formed specs its diagnostic, never a crash`, () => {
    const cases = new Map<SemanticCase, number>();
    fc.assert(
      fc.property(semanticSpec, (spec) => {
        const { diagnostics } = analyze(spec.source, spec.file);
        const problem = diagnosticProblem(spec.source, spec.file, diagnostics) ?? semanticMismatch(spec, diagnostics);
        if (problem) throw new Error(`${problem}\n--- spec ---\n${spec.source}`);
        cases.set(spec.case, (cases.get(spec.case) ?? 0) + 1);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Every case is generated often enough to mean something.
    expect(cases.size).toBe(13);
    for (const [name, count] of cases) expect(count, name).toBeGreaterThan(RUNS / 40);
  }, 120_000);
});
