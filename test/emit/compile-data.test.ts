/**
 * Where a compiled program finds its data (src/emit/compile.ts): a file under the spec's folder is
 * copied into the output at the same relative path (so the folder moves with its data), a file
 * elsewhere is named by its absolute path, and nothing of the user's is overwritten.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSpecFiles, scratchDir } from './emit-helpers.js';

const dir = scratchDir('compile-data');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const CSV = 'a,b,y\n1,2,3\n2,3,5\n3,4,7\n4,5,9\n5,6,11\n6,7,13\n7,8,15\n8,9,17\n9,10,19\n10,11,21\n';
const spec = (source: string) => `model {
  input(shape: [2])
  dense(1)
}
data {
  source: csv("${source}", label: y)
  split { train: 0.8, validation: 0.2 }
}
loss: mse
optimizer: sgd(lr: 0.01)
train { epochs: 1, batch: 2, seed: 1 }
`;

function write(file: string, text: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

describe('the data of a compiled program', () => {
  it('under the spec\'s folder: copied at its relative path, which the program keeps', () => {
    const specFile = write(path.join(dir, 'inside', 'spec.mlspec'), spec('data/d.csv'));
    write(path.join(dir, 'inside', 'data', 'd.csv'), CSV);
    const out = path.join(dir, 'out-inside');
    const files = compileSpecFiles(specFile, out);
    const copy = files.find((f) => f.path === path.join(out, 'data', 'd.csv'));
    expect(copy, 'the data file is among the outputs').toBeDefined();
    expect(String(copy!.content)).toBe(CSV);
    expect(copy!.keepExisting).toBe(true);
    expect(String(files[0]!.content)).toContain("path: 'data/d.csv',");
    expect(String(files.find((f) => path.basename(f.path) === 'README.md')!.content)).toContain('The data (data/d.csv) is copied here');
  });

  it('outside the spec\'s folder: named by its absolute path, not copied', () => {
    const shared = write(path.join(dir, 'shared', 'd.csv'), CSV);
    const specFile = write(path.join(dir, 'outside', 'spec.mlspec'), spec('../shared/d.csv'));
    const out = path.join(dir, 'out-outside');
    const files = compileSpecFiles(specFile, out);
    expect(files.some((f) => f.path.endsWith('.csv'))).toBe(false);
    expect(String(files[0]!.content)).toContain(`path: ${JSON.stringify(shared.split(path.sep).join('/')).replace(/"/g, "'")},`);
  });
});
