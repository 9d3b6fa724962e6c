/**
 * docs/language.md shows the option tables rendered from the schemas, and every example call in
 * it builds without a diagnostic. UPDATE_DOCS=1 rewrites the generated blocks instead.
 */
import * as fs from 'node:fs';
import { describe, expect, test } from 'vitest';
import { buildCall } from '../../src/ir/build-call.js';
import { BuildContext } from '../../src/ir/build-context.js';
import { callExamples, generatedBlocks, refreshGeneratedBlocks } from '../../src/ir/schema/docs.js';
import { callSchemas } from '../../src/ir/schema/index.js';
import type { CallFamily } from '../../src/ir/schema/types.js';
import { parse } from '../../src/syntax/parse.js';

const file = 'docs/language.md';

describe('docs/language.md', () => {
  test('its generated blocks are up to date', () => {
    const current = fs.readFileSync(file, 'utf8');
    const fresh = refreshGeneratedBlocks(current);
    if (process.env.UPDATE_DOCS === '1' && fresh !== current) fs.writeFileSync(file, fresh);
    else expect(current).toBe(fresh);
    for (const name of Object.keys(generatedBlocks())) expect(current, name).toContain(`<!-- generated: ${name} -->`);
  });

  test('every call of every family has an example, and the example builds cleanly', () => {
    for (const [family, table] of Object.entries(callSchemas) as Array<[CallFamily, Record<string, unknown>]>) {
      for (const name of Object.keys(table)) {
        const example = callExamples[name];
        expect(example, name).toBeDefined();
        // Merges are shown as statements (`sum = add <- a, b`); parse them inside a model.
        const source = family === 'layer' ? `model {\n${example}\n}` : `x: ${example}`;
        const parsed = parse(source, 'doc.mlspec');
        expect(parsed.diagnostics, name).toEqual([]);
        const item = parsed.ast.items[0]!;
        const value =
          item.kind === 'section' && item.items[0]?.kind === 'statement'
            ? item.items[0].call
            : item.kind === 'property' && (item.value.kind === 'call' || item.value.kind === 'ident')
              ? item.value
              : null;
        expect(value, name).not.toBeNull();
        const ctx = new BuildContext('doc.mlspec');
        const built = buildCall(family, value!, ctx);
        expect(ctx.diagnostics.map((d) => d.message), name).toEqual([]);
        expect(built?.kind, name).toBe(name);
      }
    }
  });

  test('the rendered tables show defaults and ranges from the schemas', () => {
    const layers = generatedBlocks().layers!;
    expect(layers).toContain('| `units` (1st positional) | an integer | **required** | >= 1 | Number of outputs. |');
    expect(layers).toContain('| `stride` (2nd positional) | an integer or a list of two integers | the size | >= 1 each | Step between windows. |');
    expect(generatedBlocks().optimizers).toContain('| `beta2` | a number | `0.999` | in [0, 1) |');
  });
});
