/**
 * Decoded RGBA pixels to one sample: channel conversion, bilinear resize, scaling to [0, 1].
 * Written out (not tf.image) so the numbers are fixed by this file alone and the same on every
 * backend; docs/semantics.md states the same steps.
 *
 * 1. Channels: alpha is ignored; `channels: 3` keeps R, G, B; `channels: 1` takes the luma
 *    0.299 R + 0.587 G + 0.114 B (ITU-R BT.601), which is the grey value itself for grey images.
 * 2. Resize to [height, width] by bilinear interpolation with half-pixel centres (the source
 *    coordinate of output pixel i is (i + 0.5) * in / out - 0.5, clamped to the image), like
 *    tf.image.resizeBilinear(halfPixelCenters: true); an image already of that size is unchanged.
 * 3. Divide by 255, so every value lies in [0, 1].
 */
import type { DecodedImage } from './image-decode.js';

/** One channel plane per output channel, in float64, before resizing. */
function imagePlanes(image: DecodedImage, channels: 1 | 3): Float64Array[] {
  const count = image.width * image.height;
  const { rgba } = image;
  if (channels === 3) {
    const planes = [new Float64Array(count), new Float64Array(count), new Float64Array(count)];
    for (let p = 0; p < count; p++) for (let c = 0; c < 3; c++) planes[c]![p] = rgba[4 * p + c]!;
    return planes;
  }
  const grey = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const r = rgba[4 * p]!;
    const g = rgba[4 * p + 1]!;
    const b = rgba[4 * p + 2]!;
    grey[p] = r === g && g === b ? r : 0.299 * r + 0.587 * g + 0.114 * b;
  }
  return [grey];
}

/** The two source indices and the weight of the second, for each output index along one axis. */
function imageResizeAxis(inSize: number, outSize: number): { low: Int32Array; high: Int32Array; weight: Float64Array } {
  const low = new Int32Array(outSize);
  const high = new Int32Array(outSize);
  const weight = new Float64Array(outSize);
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const source = Math.min(Math.max((i + 0.5) * scale - 0.5, 0), inSize - 1);
    low[i] = Math.floor(source);
    high[i] = Math.min(low[i]! + 1, inSize - 1);
    weight[i] = source - low[i]!;
  }
  return { low, high, weight };
}

/**
 * The sample of one image, [height, width, channels] row-major (channels last), each value in [0, 1].
 */
export function imageSample(image: DecodedImage, size: readonly [number, number], channels: 1 | 3): number[] {
  const [height, width] = size;
  const planes = imagePlanes(image, channels);
  const out = new Array<number>(height * width * channels);
  if (image.width === width && image.height === height) {
    for (let p = 0; p < height * width; p++) for (let c = 0; c < channels; c++) out[p * channels + c] = planes[c]![p]! / 255;
    return out;
  }
  const rows = imageResizeAxis(image.height, height);
  const columns = imageResizeAxis(image.width, width);
  const w = image.width;
  for (let y = 0; y < height; y++) {
    const y0 = rows.low[y]! * w;
    const y1 = rows.high[y]! * w;
    const dy = rows.weight[y]!;
    for (let x = 0; x < width; x++) {
      const x0 = columns.low[x]!;
      const x1 = columns.high[x]!;
      const dx = columns.weight[x]!;
      for (let c = 0; c < channels; c++) {
        const plane = planes[c]!;
        const top = plane[y0 + x0]! + (plane[y0 + x1]! - plane[y0 + x0]!) * dx;
        const bottom = plane[y1 + x0]! + (plane[y1 + x1]! - plane[y1 + x0]!) * dx;
        out[(y * width + x) * channels + c] = (top + (bottom - top) * dy) / 255;
      }
    }
  }
  return out;
}
