/**
 * The files of an image folder: one subfolder per class (its name is the class name), each holding
 * PNG or JPEG files. Classes and files are in code-point order of their names, so the class
 * indices and the row order depend only on the folder's content, not on the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from './errors.js';
import { compareCodePoints } from './labels.js';

/** Extensions read as images (case-insensitive); other files are ignored, like hidden ones. */
export const IMAGE_EXTENSIONS: readonly string[] = ['.png', '.jpg', '.jpeg'];

export interface ImageFolderListing {
  /** The class names (subfolder names) in index order. */
  classes: string[];
  /** Every image: its path relative to the folder ("cat/001.png", with `/`) and its class index. */
  files: { relative: string; classIndex: number }[];
}

/** Whether a file name is read as an image. */
export function isImageFileName(name: string): boolean {
  return !name.startsWith('.') && IMAGE_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function imageFolderEntries(folder: string): fs.Dirent[] {
  return fs.readdirSync(folder, { withFileTypes: true }).filter((entry) => !entry.name.startsWith('.'));
}

/** Whether an entry is a folder, following a symbolic link. */
function imageIsFolder(parent: string, entry: fs.Dirent): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return fs.statSync(path.join(parent, entry.name)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Lists `shown` (the folder as the spec writes it), resolved against baseDir; throws DataError
 * E0550 (no such folder), E0551 (no class subfolders) or E0552 (a class without images).
 */
export function listImageFolder(shown: string, baseDir: string): ImageFolderListing {
  const folder = path.resolve(baseDir, shown);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(folder);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : ((error as NodeJS.ErrnoException).code ?? 'it cannot be read');
    throw new DataError('E0550', `Cannot read the image folder \`${shown}\` (${reason}); the path is relative to the spec's folder (looked for ${folder}).`, folder, null, null, 'path');
  }
  if (!stat.isDirectory()) {
    throw new DataError('E0550', `The image folder \`${shown}\` is a file, not a folder; name a folder holding one subfolder of images per class.`, folder, null, null, 'path');
  }
  const entries = imageFolderEntries(folder);
  const classes = entries.filter((entry) => imageIsFolder(folder, entry)).map((entry) => entry.name).sort(compareCodePoints);
  if (classes.length === 0) {
    const loose = entries.filter((entry) => isImageFileName(entry.name)).length;
    const found = loose > 0 ? `it holds ${loose} image file${loose === 1 ? '' : 's'} directly` : 'it holds none';
    throw new DataError('E0551', `The image folder \`${shown}\` has no class subfolders (${found}); put each class's images in a subfolder named after the class, e.g. \`${shown}/cat/1.png\`.`, folder, null, null, 'path');
  }
  const files: ImageFolderListing['files'] = [];
  classes.forEach((name, classIndex) => {
    const images = imageFolderEntries(path.join(folder, name))
      .filter((entry) => !imageIsFolder(path.join(folder, name), entry) && isImageFileName(entry.name))
      .map((entry) => entry.name)
      .sort(compareCodePoints);
    if (images.length === 0) {
      throw new DataError(
        'E0552',
        `The class folder \`${shown}/${name}\` holds no PNG or JPEG images (.png, .jpg, .jpeg); add images of class \`${name}\`, or remove the folder.`,
        path.join(folder, name),
        null,
        null,
        'path',
      );
    }
    for (const image of images) files.push({ relative: `${name}/${image}`, classIndex });
  });
  return { classes, files };
}
