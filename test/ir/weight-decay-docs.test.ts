/**
 * Weight decay has one wording (src/ir/schema/weight-decay.ts): docs/language.md (generated from
 * the optimizer schemas) and docs/semantics.md (written by hand) must say the same thing, coupled
 * L2 for every optimizer but adamw, as the runtime does.
 */
import * as fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optimizerSchemas } from '../../src/ir/schema/optimizers.js';
import { weightDecayWording } from '../../src/ir/schema/weight-decay.js';

/** The text of a markdown section, from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: string): string {
  const start = markdown.indexOf(`\n${heading}\n`);
  expect(start, heading).toBeGreaterThanOrEqual(0);
  const level = heading.match(/^#+/)![0].length;
  const rest = markdown.slice(start + heading.length + 2);
  const next = rest.search(new RegExp(`^#{1,${level}} `, 'm'));
  return next < 0 ? rest : rest.slice(0, next);
}

const language = fs.readFileSync('docs/language.md', 'utf8');
const semantics = fs.readFileSync('docs/semantics.md', 'utf8');
const formOf = (name: string): 'coupled' | 'decoupled' => (name === 'adamw' ? 'decoupled' : 'coupled');

describe('weight decay: one wording in language.md and semantics.md', () => {
  it('each optimizer schema documents the form its runtime implements', () => {
    for (const [name, schema] of Object.entries(optimizerSchemas)) {
      const option = schema.options.find((o) => o.name === 'weight_decay');
      expect(option?.doc, name).toBe(weightDecayWording[formOf(name)].doc);
      const runtime = fs.readFileSync(`src/runtime/optimizers/${name}.ts`, 'utf8');
      if (formOf(name) === 'coupled') expect(runtime, name).toContain('couplesWeightDecay');
    }
  });

  it('language.md shows that wording in every optimizer table', () => {
    for (const name of Object.keys(optimizerSchemas)) {
      const table = section(language, `#### ${name}`);
      expect(table, name).toContain(`| \`weight_decay\` |`);
      expect(table, name).toContain(weightDecayWording[formOf(name)].doc);
    }
    expect(section(language, '## Optimizer')).not.toMatch(/Decoupled weight decay: w <- w/);
  });

  it('semantics.md gives the same formulas: coupled in "Weight decay", decoupled in "adamw"', () => {
    const general = section(semantics, '### Weight decay');
    expect(general).toContain(`    ${weightDecayWording.coupled.formula}`);
    expect(general).toMatch(/except `adamw` it is the classic\s+\*\*coupled L2\*\*/);
    expect(section(semantics, '### adamw')).toContain(`    ${weightDecayWording.decoupled.formula}`);
    for (const name of ['adam', 'rmsprop', 'adagrad']) expect(section(semantics, `### ${name}`), name).not.toContain('decoupled');
  });
});
