/**
 * Every compiled example type-checks under `tsc --strict --noEmit` with the tsconfig.json it is
 * compiled with, against nothing but its own mlspec-runtime/ copy, tfjs, csv-parse and Node's
 * types. The examples are compiled as single files into one folder, so the (identical) runtime
 * copy is checked once, in one tsc process.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { compileSpecFiles, EXAMPLES, exampleSpec, ROOT, scratchDir, writeCompiled } from './emit-helpers.js';

const dir = scratchDir('typecheck');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('every compiled example passes tsc --strict --noEmit', () => {
  let tsconfig: { compilerOptions: Record<string, unknown> } | null = null;
  for (const name of EXAMPLES) {
    const files = compileSpecFiles(exampleSpec(name), path.join(dir, `${name}.ts`));
    tsconfig = JSON.parse(String(files.find((f) => path.basename(f.path) === 'tsconfig.json')!.content));
    writeCompiled(files.filter((f) => !['tsconfig.json', 'package.json'].includes(path.basename(f.path))));
  }
  expect(tsconfig!.compilerOptions.strict).toBe(true);
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { ...tsconfig!.compilerOptions, noEmit: true }, files: EXAMPLES.map((name) => `${name}.ts`) }),
  );
  const tsc = path.join(ROOT, 'node_modules/typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', dir], { encoding: 'utf8', timeout: 240_000 });
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
