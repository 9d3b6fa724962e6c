/**
 * Every compiled example type-checks on its own under `tsc --strict --noEmit`, with nothing
 * but the tfjs packages, csv-parse and Node's types.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { EXAMPLES, goldenPath, ROOT, scratchDir } from './emit-helpers.js';

const dir = scratchDir('typecheck');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('every compiled example passes tsc --strict --noEmit', () => {
  const files = EXAMPLES.map((name) => {
    const file = path.join(dir, `${name}.ts`);
    fs.copyFileSync(goldenPath(name), file);
    return file;
  });
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        types: ['node'],
        skipLibCheck: true,
        // Each program is its own module; they may declare the same names.
        isolatedModules: true,
      },
      files: files.map((f) => path.basename(f)),
    }),
  );
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 240_000 });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
