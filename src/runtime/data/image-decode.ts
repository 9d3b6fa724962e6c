/**
 * PNG and JPEG files to pixels, by the pure-JavaScript decoders pngjs and jpeg-js. The format is
 * told by the file's first bytes, not its name. Every PNG colour type and bit depth comes out as
 * 8-bit RGBA (pngjs scales 16-bit samples to 8 bits and expands palettes and grey); JPEG comes out
 * as RGBA too (jpeg-js, greyscale and CMYK converted to RGB).
 */
import { decode as jpegDecode } from 'jpeg-js';
import { PNG } from 'pngjs';

export interface DecodedImage {
  width: number;
  height: number;
  /** width x height x 4 bytes, row-major RGBA. */
  rgba: Uint8Array;
}

/** Largest image decoded, in megapixels (also jpeg-js's own guard against hostile files). */
export const IMAGE_MAX_MEGAPIXELS = 64;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** 'png', 'jpeg', or null when the bytes start like neither. */
export function imageFormatOf(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

/** Decodes a PNG or JPEG file's bytes; throws an Error whose message says why, in words. */
export function decodeImage(bytes: Uint8Array): DecodedImage {
  const format = imageFormatOf(bytes);
  if (format === null) throw new Error('it is neither a PNG nor a JPEG file');
  if (format === 'png') {
    let png: { width: number; height: number; data: Buffer };
    try {
      png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      throw new Error(`it is not a valid PNG file: ${(error as Error).message}`);
    }
    if (png.width * png.height > IMAGE_MAX_MEGAPIXELS * 1024 * 1024) throw new Error(`it has more than ${IMAGE_MAX_MEGAPIXELS} megapixels`);
    return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
  }
  let image: { width: number; height: number; data: Uint8Array };
  try {
    image = jpegDecode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: IMAGE_MAX_MEGAPIXELS, maxMemoryUsageInMB: 1024 });
  } catch (error) {
    throw new Error(`it is not a valid JPEG file: ${String((error as Error).message ?? error)}`);
  }
  if (!(image.width > 0 && image.height > 0)) throw new Error('it is not a valid JPEG file: it has no pixels');
  return { width: image.width, height: image.height, rgba: image.data };
}
