/**
 * The fuzzer's inputs: one arbitrary mixing every generator, each input tagged with the
 * generator that made it and the path it is analyzed as (data paths resolve against it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { coherentSpec } from './coherent-specs.js';
import { mutatedText, randomBytesText, randomUnicodeText } from './mutations.js';
import { schemaSpec } from './schema-specs.js';
import { semanticSpec, type SemanticSpec } from './semantic-specs.js';

export type InputKind = 'coherent' | 'schema' | 'mutated-example' | 'mutated-coherent' | 'random-bytes' | 'random-unicode' | 'semantic';

export interface FuzzInput {
  kind: InputKind;
  source: string;
  /** Absolute path the spec is analyzed as. */
  file: string;
  /** Semantic inputs: the diagnostic they must get (test/fuzz/semantic-specs.ts). */
  semantic?: SemanticSpec;
}

/** The examples and the invalid-spec fixtures: valid and nearly valid texts to damage. */
export function loadSeedTexts(root: string): string[] {
  const read = (dir: string) =>
    fs.existsSync(path.join(root, dir))
      ? fs
          .readdirSync(path.join(root, dir))
          .filter((name) => name.endsWith('.mlspec'))
          .sort()
          .map((name) => fs.readFileSync(path.join(root, dir, name), 'utf8'))
      : [];
  return [...read('examples'), ...read('test/fixtures/invalid')];
}

/** How often each generator is used, relative to the others. */
export type InputWeights = Record<InputKind, number>;

/** The mix of `npm run fuzz`: valid specs are about a quarter of the inputs, so compile and dry run get a fair share. */
export const FULL_MIX: InputWeights = { coherent: 3, schema: 3, 'mutated-example': 2, 'mutated-coherent': 2, 'random-bytes': 1, 'random-unicode': 1, semantic: 2 };

export function fuzzInputs(root: string, weights: InputWeights = FULL_MIX): fc.Arbitrary<FuzzInput> {
  const seeds = loadSeedTexts(root);
  if (seeds.length === 0) throw new Error(`no seed specs under ${root}/examples`);
  // Mutated examples are analyzed as if they were in examples/, so their CSV paths resolve.
  const inExamples = path.join(root, 'examples', 'fuzz.mlspec');
  const at = (file: string) => path.join(root, file);
  const all: Array<{ weight: number; arbitrary: fc.Arbitrary<FuzzInput> }> = [
    { weight: weights.coherent, arbitrary: coherentSpec.map((s) => ({ kind: 'coherent' as const, source: s.source, file: at(s.file) })) },
    { weight: weights.schema, arbitrary: schemaSpec.map((source) => ({ kind: 'schema' as const, source, file: inExamples })) },
    { weight: weights['mutated-example'], arbitrary: mutatedText(fc.constantFrom(...seeds)).map((source) => ({ kind: 'mutated-example' as const, source, file: inExamples })) },
    { weight: weights['mutated-coherent'], arbitrary: coherentSpec.chain((s) => mutatedText(fc.constant(s.source)).map((source) => ({ kind: 'mutated-coherent' as const, source, file: at(s.file) }))) },
    { weight: weights['random-bytes'], arbitrary: randomBytesText.map((source) => ({ kind: 'random-bytes' as const, source, file: inExamples })) },
    { weight: weights['random-unicode'], arbitrary: randomUnicodeText.map((source) => ({ kind: 'random-unicode' as const, source, file: inExamples })) },
    { weight: weights.semantic, arbitrary: semanticSpec.map((s) => ({ kind: 'semantic' as const, source: s.source, file: at(s.file), semantic: s })) },
  ];
  return fc.oneof(...all.filter((a) => a.weight > 0));
}
