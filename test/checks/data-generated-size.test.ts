import { describe, expect, it } from 'vitest';
import { GENERATED_MAX_VALUES } from '../../src/checks/data-generated-size.js';
import { DATA_GENERATOR_MAX_VALUES } from '../../src/runtime/data/generator-options.js';

describe('data-generated-size', () => {
  it('uses the runtime limit, so check and run refuse the same sources', () => {
    expect(GENERATED_MAX_VALUES).toBe(DATA_GENERATOR_MAX_VALUES);
  });
});
