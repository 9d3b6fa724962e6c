/**
 * `check` on streamed image folders: a folder over the in-memory limit is no longer an error
 * (it streams) unless the spec says `stream: false` (E0555, at that option); full-batch gd on a
 * folder that streams, by `stream: true` or by size, is E0562 at the source.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { greyPng, writeTree } from '../runtime/data/image-folder-fixture.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-image-stream-checks-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));
writeTree(path.join(temp, 'four'), { 'a/1.png': greyPng(10), 'a/2.png': greyPng(20), 'b/1.png': greyPng(200), 'b/2.png': greyPng(210) });

/** Line 6 holds the source; `side` x `side` x 3 images (four of them are over 10,000,000 numbers at 1024). */
const spec = (side: number, options: string, optimizer = 'adam(lr: 0.01)') => `model {
  input(shape: [${side}, ${side}, 3])
  global_avg_pool2d()
  dense(2, activation: softmax)
}
data { source: images("four", size: [${side}, ${side}], channels: 3${options}) }
loss: sparse_categorical_cross_entropy
optimizer: ${optimizer}
train { epochs: 1, batch: 2 }
`;

function errors(text: string): string[] {
  const file = path.join(temp, 'spec.mlspec');
  fs.writeFileSync(file, text);
  return analyze(text, file).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`);
}

describe('check on a streamed image folder', () => {
  test('a folder over the in-memory limit streams: no error, unless stream: false (E0555 at that option)', () => {
    expect(errors(spec(1024, ''))).toEqual([]);
    expect(errors(spec(1024, ', stream: true'))).toEqual([]);
    expect(errors(spec(1024, ', stream: false'))).toEqual([
      "E0555 6:72 The 4 images of 'four' at size [1024, 1024] with 3 channels make 12,582,912 numbers, more than the 10,000,000 mlspec holds in memory; remove 'stream: false' to stream them (docs/semantics.md, \"Streamed data\"), or use a smaller size or fewer images.",
    ]);
    expect(errors(spec(8, ', stream: false'))).toEqual([]);
  });

  test('full-batch gd on a folder that streams is E0562 at the source; on one in memory it is not', () => {
    expect(errors(spec(8, '', 'gd(lr: 0.1)'))).toEqual([]);
    const [streamed] = errors(spec(8, ', stream: true', 'gd(lr: 0.1)'));
    expect(streamed).toMatch(/^E0562 6:\d+ Full-batch gradient descent \('gd'\)|^E0562 6:\d+ Full-batch gradient descent \(`gd`\)/);
    expect(streamed).toContain('remove `stream: true`');
    const [large] = errors(spec(1024, '', 'gd(lr: 0.1)'));
    expect(large).toMatch(/^E0562 6:16 /);
    expect(large).toContain('a streamed image folder never holds; use `sgd` (or another optimizer) with `train.batch`, or use a smaller size or fewer images.');
  });
});
