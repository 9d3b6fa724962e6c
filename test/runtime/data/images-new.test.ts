import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { DataImagesConfig } from '../../../src/runtime/data/config.js';
import { loadNewImages } from '../../../src/runtime/data/images-new.js';
import { greyPng, writeTree } from './image-folder-fixture.js';
import { dataErrorOf } from './helpers.js';

const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-images-new-'));
afterAll(() => fs.rmSync(temp, { recursive: true, force: true }));

const config: DataImagesConfig = { kind: 'images', path: 'training/folder/not/read', size: [1, 1], channels: 1 };

describe('loadNewImages', () => {
  test('one file: one row named by the file, no labels', () => {
    writeTree(path.join(temp, 'one'), { 'x.png': greyPng(51) });
    const table = loadNewImages(config, 'one/x.png', temp, ['a', 'b'], true);
    expect([table.features, table.labels, table.rowNames]).toEqual([[[0.2]], null, ['x.png']]);
  });

  test('a flat folder: its images in name order, other files ignored, no labels', () => {
    writeTree(path.join(temp, 'flat'), { 'b.png': greyPng(255), 'a.png': greyPng(0), 'notes.txt': 'x' });
    const table = loadNewImages(config, 'flat', temp, ['a', 'b'], true);
    expect([table.features, table.labels, table.rowNames]).toEqual([[[0], [1]], null, ['a.png', 'b.png']]);
  });

  test('class subfolders: labels by the model\'s classes when read; any folder names for predict', () => {
    writeTree(path.join(temp, 'classes'), { 'b/1.png': greyPng(255), 'zz/2.png': greyPng(0) });
    expect(loadNewImages(config, 'classes', temp, ['a', 'b', 'zz'], true).labels).toEqual({ kind: 'classes', indices: [1, 2], count: 3, names: ['a', 'b', 'zz'] });
    const predicted = loadNewImages(config, 'classes', temp, ['a', 'b'], false);
    expect([predicted.labels, predicted.rowNames]).toEqual([null, ['b/1.png', 'zz/2.png']]);
    expect(dataErrorOf(() => loadNewImages(config, 'classes', temp, ['a', 'b'], true)).code).toBe('E0517');
  });

  test('nothing there, or a folder without images, is an error naming it', () => {
    expect(dataErrorOf(() => loadNewImages(config, 'nowhere', temp, null, false)).message).toBe('Cannot read `nowhere` (it does not exist); give an image file or a folder of images.');
    writeTree(path.join(temp, 'text'), { 'a.txt': 'x' });
    expect(dataErrorOf(() => loadNewImages(config, 'text', temp, null, false)).code).toBe('E0551');
  });
});
