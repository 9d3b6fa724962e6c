/**
 * An image folder's table without its pixels: what the option checks, the split and its warnings
 * read, for streamed folders and for `mlspec plan`. No tfjs here: `mlspec plan` and `check` import it.
 */
import type { DataImagesConfig } from './config.js';
import type { ImageFolderListing } from './image-folder.js';
import type { DataLabels, DataTable } from './table.js';

/** The folder's table with empty features. */
export function imageListingTable(config: DataImagesConfig, listing: ImageFolderListing): DataTable & { labels: Extract<DataLabels, { kind: 'classes' }> } {
  const width = config.size[0]! * config.size[1]! * config.channels;
  return {
    features: [],
    featureNames: Array.from({ length: width }, (_, j) => `pixel${j + 1}`),
    hasMissing: false,
    sampleShape: [config.size[0]!, config.size[1]!, config.channels],
    dtype: 'float32',
    labels: { kind: 'classes', indices: listing.files.map((f) => f.classIndex), count: listing.classes.length, names: [...listing.classes] },
    labelName: 'class folder',
    hash: '',
    origin: `the image folder \`${config.path}\``,
    rowLines: null,
  };
}

