import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectDeclarations, defaultRuntimeDir, loadRuntimeIndex, neededImports } from '../../src/emit/runtime-index.js';

const index = loadRuntimeIndex();

describe('the runtime index', () => {
  it('finds declarations of every runtime file, each name once', () => {
    expect(index.declarations.size).toBeGreaterThan(100);
    expect(index.declarations.get('runTraining')?.file).toBe('program.ts');
    expect(index.declarations.get('createAdam')?.file).toBe('optimizers/adam.ts');
  });

  it('runtime files import nothing of mlspec outside src/runtime', () => {
    const dir = defaultRuntimeDir();
    const allowed = /^(\.{1,2}\/|@tensorflow\/tfjs$|@tensorflow\/tfjs-backend-wasm$|csv-parse\/sync$|pngjs$|jpeg-js$|node:)/;
    for (const [file, externals] of index.externals) {
      for (const e of externals) expect(e.module, `${file} imports ${e.module}`).toMatch(allowed);
    }
    // Relative imports stay inside the runtime folder.
    for (const file of index.fileOrder) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/from '(\.[^']+)'/g)) {
        const target = path.resolve(path.dirname(path.join(dir, file)), m[1]!);
        expect(target.startsWith(dir), `${file} imports ${m[1]}`).toBe(true);
      }
    }
  });

  it('orders files so that a file comes after the files it imports', () => {
    const rank = new Map(index.fileOrder.map((f, i) => [f, i]));
    expect(rank.get('rng.ts')!).toBeLessThan(rank.get('train.ts')!);
    expect(rank.get('train.ts')!).toBeLessThan(rank.get('program.ts')!);
  });

  it('collects what a root references, transitively, and nothing else', () => {
    const decls = collectDeclarations(index, ['createSgd']);
    const names = decls.flatMap((d) => d.names);
    expect(names).toContain('createSgd');
    expect(names).toContain('createHandOptimizer'); // used by createSgd
    expect(names).not.toContain('createAdam');
    expect(names).not.toContain('runTraining');
    const modules = neededImports(index, decls).map((i) => i.module);
    expect(modules).toContain('@tensorflow/tfjs');
    expect(modules).not.toContain('csv-parse/sync');
    expect(modules).not.toContain('pngjs');
  });

  it('refuses a name the runtime does not declare', () => {
    expect(() => collectDeclarations(index, ['noSuchFactory'])).toThrow(/no declaration named 'noSuchFactory'/);
  });
});
