import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import type { DecodedImage } from '../../../src/runtime/data/image-decode.js';
import { imageSample } from '../../../src/runtime/data/image-pixels.js';

/** An RGBA image from [r, g, b] pixels, row-major. */
function image(width: number, height: number, rgb: [number, number, number][]): DecodedImage {
  const rgba = new Uint8Array(width * height * 4);
  rgb.forEach((p, i) => rgba.set([...p, 255], 4 * i));
  return { width, height, rgba };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('imageSample', () => {
  test('same size: RGB values divided by 255, channels last; alpha ignored', () => {
    const img = image(2, 1, [[255, 0, 51], [0, 102, 255]]);
    img.rgba[3] = 0; // a transparent pixel keeps its colour
    expect(imageSample(img, [1, 2], 3)).toEqual([1, 0, 0.2, 0, 0.4, 1]);
  });

  test('one channel: the grey value itself for grey pixels, else the BT.601 luma', () => {
    const [grey, red, mixed] = imageSample(image(3, 1, [[77, 77, 77], [255, 0, 0], [10, 200, 30]]), [1, 3], 1);
    expect(grey).toBe(77 / 255);
    expect(red).toBeCloseTo(0.299, 12);
    expect(mixed).toBeCloseTo((0.299 * 10 + 0.587 * 200 + 0.114 * 30) / 255, 12);
  });

  test('resizing agrees with tf.image.resizeBilinear (half-pixel centres), up and down, in both axes', () => {
    const width = 5;
    const height = 3;
    const rgb = Array.from({ length: width * height }, (_, i) => [(i * 37) % 256, (i * 91 + 5) % 256, (i * 13 + 200) % 256] as [number, number, number]);
    const source = tf.tensor4d(rgb.flat(), [1, height, width, 3]);
    for (const size of [[6, 4], [2, 2], [3, 9], [1, 1]] as [number, number][]) {
      const expected = tf.tidy(() => tf.image.resizeBilinear(source, size, false, true).div(255).dataSync());
      const ours = imageSample(image(width, height, rgb), size, 3);
      expect(ours).toHaveLength(expected.length);
      ours.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5));
    }
    source.dispose();
  });

  test('every value lies in [0, 1]', () => {
    const rgb = Array.from({ length: 16 }, (_, i) => [i * 17, 255 - i * 17, (i * 101) % 256] as [number, number, number]);
    for (const channels of [1, 3] as const) {
      const values = imageSample(image(4, 4, rgb), [7, 3], channels);
      expect(values).toHaveLength(7 * 3 * channels);
      expect(values.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });
});
