/**
 * New images for a model trained on an image folder (evaluate, predict): one image file, a flat
 * folder of images (no labels), or a folder of class subfolders like the training folder (labels
 * mapped with the model's class names; for predict, where labels are not read, any subfolder
 * names). Each image is prepared exactly as in training (images-source.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataImagesConfig } from './config.js';
import type { CsvDataTable } from './csv-table.js';
import { DataError } from './errors.js';
import { isImageFileName } from './image-folder.js';
import { imageTable } from './image-listing-table.js';
import { imageFileSample, imageReadFile, imageRequireOptions, loadImageFolder } from './images-source.js';
import { dataSha256 } from './hash.js';

/** A table of new images, with each row's file (relative to `target` for a folder) for the output. */
export type NewImagesTable = CsvDataTable & { rowNames: string[] };

function newImagesOf(config: DataImagesConfig, target: string, files: string[], shown: (file: string) => string, rowNames: string[]): NewImagesTable {
  const size: [number, number] = [config.size[0]!, config.size[1]!];
  const channels = config.channels as 1 | 3;
  const features: number[][] = [];
  const hashes: string[] = [];
  files.forEach((file) => {
    const bytes = imageReadFile(file, shown(file));
    hashes.push(dataSha256(bytes));
    features.push(imageFileSample(bytes, file, shown(file), size, channels));
  });
  return {
    ...imageTable(size, channels, { features, labels: null, hash: dataSha256(hashes.join(',')), origin: `\`${target}\`` }),
    rowNames,
  };
}

/**
 * Reads `target` (config.path is ignored); `classes` are the model's class names. A class-folder
 * layout gives labels when `readLabel`; E0517 for a class folder the model does not know.
 */
export function loadNewImages(config: DataImagesConfig, target: string, baseDir: string, classes: readonly string[] | null, readLabel: boolean): NewImagesTable {
  imageRequireOptions(config);
  const resolved = path.resolve(baseDir, target);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(resolved);
  } catch {
    throw new DataError('E0550', `Cannot read \`${target}\` (it does not exist); give an image file or a folder of images.`, resolved, null, null, 'path');
  }
  if (stat.isFile()) return newImagesOf(config, target, [resolved], () => target, [path.basename(target)]);
  const entries = fs.readdirSync(resolved, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
  const hasClassFolders = entries.some((entry) => entry.isDirectory());
  if (!hasClassFolders) {
    const images = entries.filter((entry) => entry.isFile() && isImageFileName(entry.name)).map((entry) => entry.name).sort();
    if (images.length === 0) {
      throw new DataError('E0551', `The folder \`${target}\` holds no PNG or JPEG images (.png, .jpg, .jpeg) and no class subfolders; give a folder of images.`, resolved, null, null, 'path');
    }
    return newImagesOf(config, target, images.map((name) => path.join(resolved, name)), (file) => `${target}/${path.basename(file)}`, images);
  }
  // A folder laid out like the training folder: the same reading, labels by the model's classes.
  const { imageFiles, ...table } = loadImageFolder({ ...config, path: target }, baseDir, readLabel ? classes : null);
  return { ...table, labels: readLabel ? table.labels : null, rowNames: imageFiles };
}
