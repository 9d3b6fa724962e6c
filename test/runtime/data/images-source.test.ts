import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { DataImagesConfig } from '../../../src/runtime/data/config.js';
import { listImageFolder } from '../../../src/runtime/data/image-folder.js';
import { imagesDataSource, loadImageFolder } from '../../../src/runtime/data/images-source.js';
import { greyPng, writeTree } from './image-folder-fixture.js';
import { dataErrorOf } from './helpers.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-images-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const config = (folder: string, size: [number, number] = [2, 2], channels = 1): DataImagesConfig => ({ kind: 'images', path: folder, size, channels });

describe('listImageFolder', () => {
  test('classes are the subfolders in code-point order; files sorted; hidden and non-image files ignored', () => {
    writeTree(path.join(temp, 'list'), {
      'zebra/b.png': greyPng(1),
      'zebra/a.JPG': greyPng(1),
      'Ant/1.jpeg': greyPng(1),
      'Ant/notes.txt': 'x',
      'Ant/.hidden.png': greyPng(1),
      '.git/x.png': greyPng(1),
      'loose.png': greyPng(1),
    });
    expect(listImageFolder('list', temp)).toEqual({
      classes: ['Ant', 'zebra'],
      files: [
        { relative: 'Ant/1.jpeg', classIndex: 0 },
        { relative: 'zebra/a.JPG', classIndex: 1 },
        { relative: 'zebra/b.png', classIndex: 1 },
      ],
    });
  });

  test('a missing folder, a file, no class subfolders and an empty class are each their own error', () => {
    writeTree(path.join(temp, 'flat'), { 'a.png': greyPng(1), 'b.png': greyPng(1) });
    writeTree(path.join(temp, 'empty-class'), { 'cat/1.png': greyPng(1), 'dog/readme.md': 'no images' });
    const missing = dataErrorOf(() => listImageFolder('nope', temp));
    expect([missing.code, missing.option]).toEqual(['E0550', 'path']);
    expect(missing.message).toBe(`Cannot read the image folder \`nope\` (it does not exist); the path is relative to the spec's folder (looked for ${path.join(temp, 'nope')}).`);
    expect(dataErrorOf(() => listImageFolder('flat/a.png', temp)).code).toBe('E0550');
    expect(dataErrorOf(() => listImageFolder('flat', temp)).message).toBe(
      "The image folder `flat` has no class subfolders (it holds 2 image files directly); put each class's images in a subfolder named after the class, e.g. `flat/cat/1.png`.",
    );
    const empty = dataErrorOf(() => listImageFolder('empty-class', temp));
    expect(empty.code).toBe('E0552');
    expect(empty.message).toContain('`empty-class/dog` holds no PNG or JPEG images');
  });
});

describe('the images source', () => {
  test('one row per image in folder order, [h, w, c] samples in [0, 1], class names as labels', () => {
    writeTree(path.join(temp, 'two'), { 'b/x.png': greyPng(255), 'a/y.png': greyPng(0), 'a/z.png': greyPng(51, 4, 4) });
    const table = imagesDataSource(config('two')).load({ baseDir: temp, seed: 1 });
    expect(table.sampleShape).toEqual([2, 2, 1]);
    expect(table.features).toEqual([[0, 0, 0, 0], [0.2, 0.2, 0.2, 0.2], [1, 1, 1, 1]]);
    expect(table.labels).toEqual({ kind: 'classes', indices: [0, 0, 1], count: 2, names: ['a', 'b'] });
    expect(table.dtype).toBe('float32');
    expect(table.origin).toBe('the image folder `two`');
    const rgb = imagesDataSource(config('two', [1, 3], 3)).load({ baseDir: temp, seed: 1 });
    expect(rgb.sampleShape).toEqual([1, 3, 3]);
    expect(rgb.features[2]).toEqual(Array.from({ length: 9 }, () => 1));
  });

  test('the hash follows the files: the same folder hashes equally, a changed pixel or name changes it', () => {
    writeTree(path.join(temp, 'h1'), { 'a/1.png': greyPng(3), 'b/1.png': greyPng(4) });
    writeTree(path.join(temp, 'h2'), { 'a/1.png': greyPng(3), 'b/1.png': greyPng(4) });
    writeTree(path.join(temp, 'h3'), { 'a/1.png': greyPng(3), 'b/1.png': greyPng(5) });
    writeTree(path.join(temp, 'h4'), { 'a/1.png': greyPng(3), 'b/2.png': greyPng(4) });
    const hash = (folder: string) => loadImageFolder(config(folder), temp, null).hash;
    expect(hash('h1')).toBe(hash('h2'));
    expect(hash('h3')).not.toBe(hash('h1'));
    expect(hash('h4')).not.toBe(hash('h1'));
  });

  test('a file that does not decode is named', () => {
    writeTree(path.join(temp, 'bad'), { 'a/1.png': greyPng(3), 'b/broken.png': 'not a png' });
    const error = dataErrorOf(() => loadImageFolder(config('bad'), temp, null));
    expect([error.code, error.file]).toEqual(['E0553', path.join(temp, 'bad/b/broken.png')]);
    expect(error.message).toBe('Cannot decode the image `bad/b/broken.png` (it is neither a PNG nor a JPEG file); replace it with a valid PNG or JPEG file, or remove it.');
  });

  test('a trained model\'s classes fix the indices; a class folder it does not know is refused', () => {
    writeTree(path.join(temp, 'new'), { 'b/1.png': greyPng(3) });
    expect(loadImageFolder(config('new'), temp, ['a', 'b', 'c']).labels).toEqual({ kind: 'classes', indices: [1], count: 3, names: ['a', 'b', 'c'] });
    writeTree(path.join(temp, 'unknown'), { 'q/1.png': greyPng(3) });
    const error = dataErrorOf(() => loadImageFolder(config('unknown'), temp, ['a', 'b']));
    expect(error.code).toBe('E0517');
    expect(error.message).toContain('class folder `q`, which is not one of the model\'s classes (`a`, `b`)');
  });

  test('invalid size or channels, and too many numbers, are refused before anything is decoded', () => {
    writeTree(path.join(temp, 'opts'), { 'a/1.png': greyPng(3) });
    expect(dataErrorOf(() => loadImageFolder(config('opts', [0, 2]), temp, null)).code).toBe('E0554');
    expect(dataErrorOf(() => loadImageFolder({ ...config('opts'), size: [2] }, temp, null)).code).toBe('E0554');
    const channels = dataErrorOf(() => loadImageFolder(config('opts', [2, 2], 4), temp, null));
    expect([channels.code, channels.option, channels.message]).toEqual(['E0554', 'channels', '`images(channels: 4)` is invalid: channels must be 1 (grey) or 3 (RGB).']);
    writeTree(path.join(temp, 'four'), { 'a/1.png': greyPng(3), 'a/2.png': greyPng(3), 'b/1.png': 'never decoded', 'b/2.png': greyPng(3) });
    const huge = dataErrorOf(() => loadImageFolder(config('four', [1024, 1024], 3), temp, null));
    expect([huge.code, huge.option]).toEqual(['E0555', 'size']);
    expect(huge.message).toContain('The 4 images of `four` at size [1024, 1024] with 3 channels make 12,582,912 numbers');
  });
});
