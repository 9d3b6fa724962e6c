/**
 * examples/data/digit_images is exactly what scripts/make-digit-images.mjs writes from
 * examples/data/digits.csv: regenerated here and compared file by file, byte for byte.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { listImageFolder } from '../../../src/runtime/data/image-folder.js';
import { examplesDir } from './helpers.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-digit-images-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

test('the shipped digit images are the script\'s output: 10 classes of 50, PNG and JPEG', () => {
  const script = path.resolve(examplesDir, '../scripts/make-digit-images.mjs');
  const result = spawnSync(process.execPath, [script, path.join(temp, 'out')], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const shipped = listImageFolder('data/digit_images', examplesDir);
  const fresh = listImageFolder(path.join(temp, 'out'), '/');
  expect(shipped.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  expect(fresh).toEqual(shipped);
  expect(shipped.files.filter((f) => f.relative.endsWith('.jpg'))).toHaveLength(100);
  expect(shipped.files.filter((f) => f.relative.endsWith('.png'))).toHaveLength(400);
  for (const { relative } of shipped.files) {
    const bytes = fs.readFileSync(path.join(examplesDir, 'data/digit_images', relative));
    expect(bytes.equals(fs.readFileSync(path.join(temp, 'out', relative))), relative).toBe(true);
  }
});
