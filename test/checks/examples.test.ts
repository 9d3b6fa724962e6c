/** Every example spec passes the front end without errors and builds an IR. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/frontend.js';

const examples = fs.readdirSync('examples').filter((name) => name.endsWith('.mlspec')).sort();

describe('examples check cleanly', () => {
  test('there are examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(5);
  });

  for (const name of examples) {
    test(name, () => {
      const file = path.join('examples', name);
      const { ir, diagnostics } = analyze(fs.readFileSync(file, 'utf8'), file);
      expect(diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
      expect(ir).not.toBeNull();
    });
  }
});
