/** Type selectors in `from` and `features`: each stands for the columns of its type that no list names and no earlier selector took. */
import { describe, expect, it } from 'vitest';
import type { DataCsvConfig } from '../../../src/runtime/data/config.js';
import { csvResolveSelectors } from '../../../src/runtime/data/csv-selectors.js';

const HEADER = ['id', 'age', 'city', 'member', 'income', 'label'];
const base = { kind: 'csv', path: 'x.csv', label: 'label', features: null, categorical: true, missing: 'error', category: ['city'], binary: ['member'] } as DataCsvConfig;

describe('csvResolveSelectors', () => {
  it('expands selectors in input order, in file order, skipping named columns and the label', () => {
    const config: DataCsvConfig = {
      ...base,
      inputs: [
        { name: 'a', from: ['income', 'numeric', 'binary'], dtype: 'float32', width: 4 },
        { name: 'b', from: ['category'], dtype: 'int32', width: 1 },
      ],
    };
    const resolved = csvResolveSelectors(config, HEADER);
    expect(resolved.inputs!.map((input) => input.from)).toEqual([['income', 'id', 'age', 'member'], ['city']]);
    expect(resolved.features).toEqual(['income', 'id', 'age', 'member', 'city']);
  });

  it('resolves `features` without inputs that name columns; a header column named like a type is that column', () => {
    expect(csvResolveSelectors({ ...base, features: ['category', 'numeric'] }, HEADER).features).toEqual(['city', 'id', 'age', 'income']);
    expect(csvResolveSelectors({ ...base, features: ['numeric'] }, ['numeric', 'age', 'label']).features).toEqual(['numeric']);
  });

  it('returns a config without selectors unchanged (the same object)', () => {
    const config = { ...base, features: ['age', 'city'] };
    expect(csvResolveSelectors(config, HEADER)).toBe(config);
  });
});
