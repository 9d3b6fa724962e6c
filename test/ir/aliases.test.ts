/** The alias table (src/ir/aliases.ts) names only real mlspec names, and never shadows one. */
import { describe, expect, it } from 'vitest';
import { aliases, findAlias, type AliasDomain } from '../../src/ir/aliases.js';
import { activations, initializers, metricNames } from '../../src/ir/schema/enums.js';
import { callSchemas, dataSchema, splitSchema, trainSchema } from '../../src/ir/schema/index.js';
import { topLevelEntries } from '../../src/ir/schema/top-level.js';

const callFamilies = ['layer', 'loss', 'optimizer', 'schedule', 'stop', 'clip', 'source'] as const;
const known: Partial<Record<AliasDomain, readonly string[]>> = {
  ...Object.fromEntries(callFamilies.map((family) => [family, Object.keys(callSchemas[family])])),
  metric: metricNames,
  activation: activations,
  initializer: initializers,
};
const optionsOf = (within: string): string[] => {
  const sections = { train: trainSchema, data: dataSchema, split: splitSchema } as Record<string, { options: { name: string }[] }>;
  const schema = sections[within] ?? callFamilies.map((family) => callSchemas[family][within]).find((s) => s !== undefined);
  return schema ? schema.options.map((o) => o.name) : [];
};

describe('aliases', () => {
  it('suggest names that exist, in the domain they are for', () => {
    for (const alias of aliases) {
      const names = known[alias.domain];
      // Code such as activation(relu) or momentum(lr: ...) starts with a real call name.
      const head = alias.write.split(/[^a-z0-9_]/)[0]!;
      if (names && alias.domain !== 'layer') expect(names, `${alias.names[0]} -> ${alias.write}`).toContain(head);
      if (alias.domain === 'layer') expect(known.layer, alias.write).toContain(head);
      if (alias.domain === 'option' && alias.within && /^[a-z0-9_]+$/.test(alias.write)) {
        for (const within of alias.within) expect(optionsOf(within), `${alias.names[0]} in ${within}`).toContain(alias.write);
      }
    }
  });

  it('never shadow a real name', () => {
    for (const alias of aliases) {
      const names = alias.domain === 'section' ? topLevelEntries.map((entry) => entry.name) : known[alias.domain];
      if (!names) continue;
      for (const name of alias.names) expect(names, `${alias.domain} ${name}`).not.toContain(name);
    }
  });

  it('match ignoring case and underscores, and respect where an option is written', () => {
    expect(findAlias('schedule', 'CosineDecay')?.write).toBe('cosine');
    expect(findAlias('layer', 'ReLU')?.write).toBe('activation(relu)');
    expect(findAlias('option', 'gamma', 'step')?.write).toBe('factor');
    expect(findAlias('option', 'gamma', 'exponential')?.write).toBe('rate');
    expect(findAlias('option', 'momentum', 'adam')).toBeNull();
  });
});
