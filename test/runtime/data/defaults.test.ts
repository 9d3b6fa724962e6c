/**
 * The data section's one defaults table (runtime/data/defaults.ts): the language's schema takes
 * its defaults from it, in the same order; a compiled program's data calls, given only the options
 * its train.ts writes, rebuild exactly the config `mlspec run` lowers from the spec (same keys in
 * the same order) for every example; and a source without a required option is refused in words.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataSchema, sourceSchemas, splitSchema } from '../../../src/ir/schema/data.js';
import { analyze } from '../../../src/frontend.js';
import { lowerData } from '../../../src/lower/lower.js';
import { csvData, dataPipeline, imagesData, optionsToWrite, PIPELINE_DEFAULTS, randomData, sequenceData, sineData, SOURCE_DEFAULTS, SPLIT_DEFAULTS } from '../../../src/runtime/data/defaults.js';
import type { DataSourceConfig } from '../../../src/runtime/data/config.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BUILDERS: Record<DataSourceConfig['kind'], (given: never) => DataSourceConfig> = { csv: csvData, random: randomData, sequence: sequenceData, sine: sineData, images: imagesData };

describe('the data defaults table', () => {
  it('is where the schema takes each source option and its default from, in the schema\'s order', () => {
    for (const [kind, schema] of Object.entries(sourceSchemas)) {
      const table = SOURCE_DEFAULTS[kind as DataSourceConfig['kind']] as Record<string, unknown>;
      expect(Object.keys(table), kind).toEqual(schema.options.map((o) => o.name));
      for (const option of schema.options) {
        const expected = 'value' in option.default ? option.default.value : undefined;
        expect(table[option.name], `${kind}.${option.name}`).toEqual(expected);
        expect('required' in option.default, `${kind}.${option.name} is required`).toBe(table[option.name] === undefined);
      }
    }
    for (const option of dataSchema.options.filter((o) => 'value' in o.default)) {
      expect(PIPELINE_DEFAULTS[option.name as keyof typeof PIPELINE_DEFAULTS], option.name).toEqual((option.default as { value: unknown }).value);
    }
    for (const option of splitSchema.options.filter((o) => 'value' in o.default)) {
      expect(SPLIT_DEFAULTS[option.name as keyof typeof SPLIT_DEFAULTS], option.name).toEqual((option.default as { value: unknown }).value);
    }
  });

  const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mlspec'));
  it.each(examples)('rebuilds %s\'s data config from the options that differ from their defaults', (file) => {
    const specFile = path.join(ROOT, 'examples', file);
    const { ir } = analyze(fs.readFileSync(specFile, 'utf8'), specFile);
    const lowered = lowerData(ir!);
    const { source, ...pipeline } = lowered;
    const given = optionsToWrite(source as unknown as Record<string, unknown>, SOURCE_DEFAULTS[source.kind]);
    const rebuilt = dataPipeline(BUILDERS[source.kind](given as never), optionsToWrite(pipeline, PIPELINE_DEFAULTS));
    // The same JSON text: the same values, keys in the same order (preprocessing.json, digests).
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(lowered));
  });

  it('refuses a source without a required option, naming it', () => {
    expect(() => csvData({ path: 'a.csv' } as never)).toThrow('The csv data source needs label; add it to its options.');
    expect(() => sineData({} as never)).toThrow('The sine data source needs samples, window; add them to its options.');
  });
});
