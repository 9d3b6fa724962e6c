/** Image folders written into a temporary directory for the images source and check tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pngBytes } from './png-bytes.js';

/** A w x h grey PNG filled with `value`. */
export const greyPng = (value: number, width = 2, height = 2): Buffer =>
  pngBytes({ width, height, colorType: 0, bitDepth: 8, rows: Array.from({ length: height }, () => Array.from({ length: width }, () => value)) });

/** Writes files (relative path -> bytes or text) under `root`, creating folders; returns root. */
export function writeTree(root: string, files: Record<string, Uint8Array | string>): string {
  fs.rmSync(root, { recursive: true, force: true });
  fs.mkdirSync(root, { recursive: true });
  for (const [relative, content] of Object.entries(files)) {
    const file = path.join(root, relative);
    // A key ending in `/` is an empty folder.
    fs.mkdirSync(relative.endsWith('/') ? file : path.dirname(file), { recursive: true });
    if (!relative.endsWith('/')) fs.writeFileSync(file, content);
  }
  return root;
}
