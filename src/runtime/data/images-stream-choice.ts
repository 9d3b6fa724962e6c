/**
 * When an image folder is streamed (images-stream-dataset.ts) rather than decoded whole:
 * `stream: true` always, `stream: false` never, and by default only when its decoded images would
 * exceed the DATA_GENERATOR_MAX_VALUES numbers mlspec holds in memory (where E0555 refused it
 * before). So a folder that could be read before is read exactly as before. No tfjs here: the
 * checks import it.
 */
import type { DataImagesConfig } from './config.js';
import { DATA_GENERATOR_MAX_VALUES } from './generator-options.js';

export function imagesStream(config: Pick<DataImagesConfig, 'stream' | 'size' | 'channels'>, files: number): boolean {
  if (config.stream === true) return true;
  if (config.stream === false) return false;
  return files * config.size[0]! * config.size[1]! * config.channels > DATA_GENERATOR_MAX_VALUES;
}
