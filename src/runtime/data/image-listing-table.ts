/**
 * The table of an image folder: one row of h x w x channels pixels per image, labelled by its class
 * folder. `imageTable` is the one shape every image table has (a folder read whole, new images for
 * evaluate/predict, a folder listed without its pixels); `imageListingTable` is the listed one, what
 * the option checks, the split and its warnings read for streamed folders and `mlspec plan`.
 * No tfjs here: `mlspec plan` and `check` import it.
 */
import type { DataImagesConfig } from './config.js';
import type { ImageFolderListing } from './image-folder.js';
import type { DataLabels, DataTable } from './table.js';

export function imageTable<L extends DataLabels | null>(
  size: readonly number[],
  channels: number,
  parts: { features: number[][]; labels: L; hash: string; origin: string },
): Omit<DataTable, 'labels'> & { labels: L } {
  const [height, width] = [size[0]!, size[1]!];
  return {
    features: parts.features,
    featureNames: Array.from({ length: height * width * channels }, (_, j) => `pixel${j + 1}`),
    hasMissing: false,
    sampleShape: [height, width, channels],
    dtype: 'float32',
    labels: parts.labels,
    labelName: 'class folder',
    hash: parts.hash,
    origin: parts.origin,
    rowLines: null,
  };
}

/** The folder's table with empty features. */
export function imageListingTable(config: DataImagesConfig, listing: ImageFolderListing): DataTable & { labels: Extract<DataLabels, { kind: 'classes' }> } {
  return imageTable(config.size, config.channels, {
    features: [],
    labels: { kind: 'classes', indices: listing.files.map((f) => f.classIndex), count: listing.classes.length, names: [...listing.classes] },
    hash: '',
    origin: `the image folder \`${config.path}\``,
  });
}
