/**
 * `images("data/flowers", size: [64, 64], channels: 3)`: a folder of class-named subfolders of PNG
 * and JPEG files (image-folder.ts). Each image is decoded (image-decode.ts), converted to the
 * channels, resized and scaled to [0, 1] (image-pixels.ts); the class is its subfolder's name,
 * indexed in sorted order like CSV class names. Rows are in folder order (classes, then files, by
 * code point), so the seeded split and shuffle work on them exactly as on a CSV file's rows.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataImagesConfig } from './config.js';
import { DataError } from './errors.js';
import { DATA_GENERATOR_MAX_VALUES } from './generator-options.js';
import { decodeImage } from './image-decode.js';
import { listImageFolder } from './image-folder.js';
import { imageTable } from './image-listing-table.js';
import { imageSample } from './image-pixels.js';
import { imagesStream } from './images-stream-choice.js';
import type { DataTable, DataTableSource } from './table.js';

/** Largest height or width an image is resized to (also the schema's range of `size`). */
export const IMAGE_MAX_SIDE = 1024;

/** Refuses `size` or `channels` a compiled program was given without the checks (E0554). */
export function imageRequireOptions(config: Pick<DataImagesConfig, 'size' | 'channels'>): void {
  const { size, channels } = config;
  const sizeOk = Array.isArray(size) && size.length === 2 && size.every((n) => Number.isInteger(n) && n >= 1 && n <= IMAGE_MAX_SIDE);
  if (!sizeOk) {
    throw new DataError('E0554', `\`images(size: ${JSON.stringify(size)})\` is invalid: size must be [height, width], each a whole number from 1 to ${IMAGE_MAX_SIDE}.`, null, null, null, 'size');
  }
  if (channels !== 1 && channels !== 3) {
    throw new DataError('E0554', `\`images(channels: ${channels})\` is invalid: channels must be 1 (grey) or 3 (RGB).`, null, null, null, 'channels');
  }
}

/** E0555's message: `count` images at `size` and `channels` make more numbers than mlspec holds (check says it too). */
export function imageTooManyNumbers(count: number, shown: string, size: readonly number[], channels: number, fix = 'use a smaller size or fewer images'): string {
  const values = count * size[0]! * size[1]! * channels;
  return `The ${count} images of \`${shown}\` at size [${size.join(', ')}] with ${channels} channel${channels === 1 ? '' : 's'} make ${values.toLocaleString('en-US')} numbers, more than the ${DATA_GENERATOR_MAX_VALUES.toLocaleString('en-US')} mlspec holds in memory; ${fix}.`;
}

/** E0555's fix for a training folder read in memory because the spec says `stream: false`. */
export const IMAGE_STREAM_FIX = 'remove `stream: false` to stream them (docs/semantics.md, "Streamed data"), or use a smaller size or fewer images';

/** The bytes of one image file; an unreadable one is E0553, naming it (`shown`, as the spec writes the folder). */
export function imageReadFile(file: string, shown: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new DataError('E0553', `Cannot read the image \`${shown}\` (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}); make it readable or remove it.`, file, null, null, 'path');
  }
}

/** The sample of one image file's bytes; bytes that cannot be decoded are E0553, naming the file. */
export function imageFileSample(bytes: Uint8Array, file: string, shown: string, size: readonly [number, number], channels: 1 | 3): number[] {
  try {
    return imageSample(decodeImage(bytes), size, channels);
  } catch (error) {
    throw new DataError('E0553', `Cannot decode the image \`${shown}\` (${(error as Error).message}); replace it with a valid PNG or JPEG file, or remove it.`, file, null, null, 'path');
  }
}

/**
 * Reads the folder; `classes` (a trained model's class names) maps the subfolders to those indices
 * instead of the folder's own sorted names, and a subfolder that is not one of them is E0517.
 * `imageFiles` are the rows' files, relative to the folder ("cat/1.png").
 */
export function loadImageFolder(config: DataImagesConfig, baseDir: string, classes: readonly string[] | null): DataTable & { imageFiles: string[] } {
  imageRequireOptions(config);
  const size: [number, number] = [config.size[0]!, config.size[1]!];
  const channels = config.channels as 1 | 3;
  const listing = listImageFolder(config.path, baseDir);
  const values = listing.files.length * size[0] * size[1] * channels;
  if (values > DATA_GENERATOR_MAX_VALUES) {
    const fix = config.stream === false ? IMAGE_STREAM_FIX : undefined;
    throw new DataError('E0555', imageTooManyNumbers(listing.files.length, config.path, size, channels, fix), null, null, null, 'size');
  }
  const names = classes ?? listing.classes;
  const index = new Map(names.map((name, i) => [name, i]));
  const unknown = listing.classes.filter((name) => !index.has(name));
  if (unknown.length > 0) {
    throw new DataError(
      'E0517',
      `The image folder \`${config.path}\` has class folder \`${unknown[0]}\`, which is not one of the model's classes (${names.map((n) => `\`${n}\``).join(', ')}); remove that folder or retrain with it.`,
      null,
      null,
      null,
      'path',
    );
  }
  const folder = path.resolve(baseDir, config.path);
  const hash = createHash('sha256');
  const features: number[][] = [];
  const indices: number[] = [];
  for (const { relative, classIndex } of listing.files) {
    const file = path.join(folder, ...relative.split('/'));
    const shown = `${config.path}/${relative}`;
    const bytes = imageReadFile(file, shown);
    hash.update(relative).update('\0').update(bytes).update('\0');
    features.push(imageFileSample(bytes, file, shown, size, channels));
    indices.push(index.get(listing.classes[classIndex]!)!);
  }
  return {
    ...imageTable(size, channels, {
      features,
      labels: { kind: 'classes', indices, count: names.length, names: [...names] },
      hash: hash.digest('hex'),
      origin: `the image folder \`${config.path}\``,
    }),
    imageFiles: listing.files.map((f) => f.relative),
  };
}

export function imagesDataSource(config: DataImagesConfig): DataTableSource {
  return {
    kind: 'images',
    load: ({ baseDir }): DataTable => loadImageFolder(config, baseDir, null),
    // A folder over the in-memory limit streams unless the spec says `stream: false` (images-stream-dataset.ts).
    streamed: (pipeline, options) => {
      if (config.stream === false) return null;
      imageRequireOptions(config);
      const files = listImageFolder(config.path, options.baseDir).files.length;
      if (!imagesStream(config, files)) return null;
      if (config.stream !== true) {
        const values = (files * config.size[0]! * config.size[1]! * config.channels).toLocaleString('en-US');
        options.onWarning?.(
          `The ${files} images of \`${config.path}\` make ${values} numbers, more than the ${DATA_GENERATOR_MAX_VALUES.toLocaleString('en-US')} mlspec holds in memory, so they are streamed: decoded batch by batch every epoch, in the same order as in memory (docs/semantics.md); write \`stream: true\` to say so and silence this.`,
        );
      }
      // Imported when needed: `mlspec check` reads this module (image-facts.ts) and must not load tfjs.
      return import('./images-stream-dataset.js').then(({ prepareStreamedImages }) => prepareStreamedImages(config, pipeline, options));
    },
  };
}
