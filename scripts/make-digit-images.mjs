#!/usr/bin/env node
/**
 * Writes examples/data/digit_images/: the first 50 rows of each digit in examples/data/digits.csv
 * (UCI optical digits, CC BY 4.0) as 16x16 grey images in one folder per digit, for the `images`
 * data source's example and tests. Each 8x8 pixel (0-16) becomes a 2x2 block of round(v * 255 / 16);
 * every fifth image of a digit is a JPEG (quality 90, stored as RGB), the others 8-bit grey PNGs,
 * so both decoders are exercised. Deterministic: the same bytes on every run
 * (test/runtime/data/digit-images.test.ts regenerates the folder and compares).
 *
 *   node scripts/make-digit-images.mjs [out-folder]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const PER_DIGIT = 50;
export const SIDE = 16;

/** The image files of the folder, as { relative path: bytes }. */
export function digitImageFiles(csvText) {
  const [header, ...lines] = csvText.trim().split(/\r?\n/);
  const label = header.split(',').indexOf('digit');
  const taken = new Map();
  const files = new Map();
  lines.forEach((line, row) => {
    const cells = line.split(',').map(Number);
    const digit = cells[label];
    const count = taken.get(digit) ?? 0;
    if (count >= PER_DIGIT) return;
    taken.set(digit, count + 1);
    const grey = Buffer.alloc(SIDE * SIDE);
    for (let y = 0; y < SIDE; y++) for (let x = 0; x < SIDE; x++) grey[y * SIDE + x] = Math.round((cells[(y >> 1) * 8 + (x >> 1)] * 255) / 16);
    const name = `${digit}/${String(row).padStart(4, '0')}`;
    if (count % 5 === 4) {
      const rgba = Buffer.alloc(SIDE * SIDE * 4);
      for (let p = 0; p < SIDE * SIDE; p++) rgba.fill(grey[p], 4 * p, 4 * p + 3), (rgba[4 * p + 3] = 255);
      files.set(`${name}.jpg`, jpeg.encode({ data: rgba, width: SIDE, height: SIDE }, 90).data);
    } else {
      const png = new PNG({ width: SIDE, height: SIDE, colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 });
      png.data = grey;
      files.set(`${name}.png`, PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, bitDepth: 8 }));
    }
  });
  return files;
}

export function writeDigitImages(out) {
  const files = digitImageFiles(fs.readFileSync(path.join(ROOT, 'examples/data/digits.csv'), 'utf8'));
  fs.rmSync(out, { recursive: true, force: true });
  for (const [relative, bytes] of files) {
    fs.mkdirSync(path.dirname(path.join(out, relative)), { recursive: true });
    fs.writeFileSync(path.join(out, relative), bytes);
  }
  return files.size;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = path.resolve(process.argv[2] ?? path.join(ROOT, 'examples/data/digit_images'));
  process.stdout.write(`wrote ${writeDigitImages(out)} images to ${path.relative(process.cwd(), out) || '.'}\n`);
}
