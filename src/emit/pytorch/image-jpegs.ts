/**
 * The JPEG files of an image folder, told by their first bytes as the runtime tells them
 * (image-decode.ts), not by their names: the PyTorch target decodes PNG only (its decoder gives
 * pngjs's pixels; none in Python gives jpeg-js's), so a folder with JPEG files is refused at compile time.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { imageFormatOf } from '../../runtime/data/image-decode.js';
import { listImageFolder } from '../../runtime/data/image-folder.js';

/** How many images the folder holds; null when it cannot be listed (the checks report that). */
export function imageFolderFileCount(folder: string, baseDir: string): number | null {
  try {
    return listImageFolder(folder, baseDir).files.length;
  } catch {
    return null;
  }
}

/** The JPEG files of the folder (relative, "cat/1.jpg"), in row order; null when the folder cannot be listed (the checks report that). */
export function imageFolderJpegs(folder: string, baseDir: string): string[] | null {
  let files: { relative: string }[];
  try {
    files = listImageFolder(folder, baseDir).files;
  } catch {
    return null;
  }
  const root = path.resolve(baseDir, folder);
  const head = Buffer.alloc(8);
  return files
    .filter(({ relative }) => {
      try {
        const fd = fs.openSync(path.join(root, ...relative.split('/')), 'r');
        try {
          const read = fs.readSync(fd, head, 0, 8, 0);
          return imageFormatOf(head.subarray(0, read)) === 'jpeg';
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        return false; // unreadable: the program reports it (E0553 under mlspec run)
      }
    })
    .map(({ relative }) => relative);
}
