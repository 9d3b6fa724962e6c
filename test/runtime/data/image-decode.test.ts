import { encode as jpegEncode } from 'jpeg-js';
import { describe, expect, test } from 'vitest';
import { decodeImage, imageFormatOf } from '../../../src/runtime/data/image-decode.js';
import { pngBytes } from './png-bytes.js';

/** The RGBA bytes as [r, g, b, a] per pixel. */
const pixels = (rgba: Uint8Array): number[][] => Array.from({ length: rgba.length / 4 }, (_, p) => [...rgba.subarray(4 * p, 4 * p + 4)]);

describe('decodeImage: PNG', () => {
  test('8-bit grey: each grey value in R, G and B, alpha 255', () => {
    const image = decodeImage(pngBytes({ width: 3, height: 1, colorType: 0, bitDepth: 8, rows: [[0, 128, 255]] }));
    expect([image.width, image.height]).toEqual([3, 1]);
    expect(pixels(image.rgba)).toEqual([[0, 0, 0, 255], [128, 128, 128, 255], [255, 255, 255, 255]]);
  });

  test('1-bit grey is scaled to 0 and 255; 16-bit grey to its high byte', () => {
    expect(pixels(decodeImage(pngBytes({ width: 2, height: 1, colorType: 0, bitDepth: 1, rows: [[0b10000000]] })).rgba)).toEqual([[255, 255, 255, 255], [0, 0, 0, 255]]);
    const wide = decodeImage(pngBytes({ width: 1, height: 1, colorType: 0, bitDepth: 16, rows: [[0x80, 0x00]] }));
    expect(pixels(wide.rgba)[0]!.slice(0, 3).map((v) => Math.abs(v - 128) <= 1)).toEqual([true, true, true]);
  });

  test('RGB and RGBA, row-major', () => {
    const rgb = decodeImage(pngBytes({ width: 1, height: 2, colorType: 2, bitDepth: 8, rows: [[10, 20, 30], [40, 50, 60]] }));
    expect(pixels(rgb.rgba)).toEqual([[10, 20, 30, 255], [40, 50, 60, 255]]);
    const rgba = decodeImage(pngBytes({ width: 2, height: 1, colorType: 6, bitDepth: 8, rows: [[1, 2, 3, 4, 5, 6, 7, 0]] }));
    expect(pixels(rgba.rgba)).toEqual([[1, 2, 3, 4], [5, 6, 7, 0]]);
  });

  test('palette: indices become their colours', () => {
    const image = decodeImage(
      pngBytes({ width: 3, height: 1, colorType: 3, bitDepth: 8, rows: [[2, 0, 1]], palette: [[255, 0, 0], [0, 255, 0], [0, 0, 255]] }),
    );
    expect(pixels(image.rgba)).toEqual([[0, 0, 255, 255], [255, 0, 0, 255], [0, 255, 0, 255]]);
  });

  test('a truncated PNG is an error in words', () => {
    const bytes = pngBytes({ width: 4, height: 4, colorType: 0, bitDepth: 8, rows: Array.from({ length: 4 }, () => [1, 2, 3, 4]) });
    expect(() => decodeImage(bytes.subarray(0, 40))).toThrow(/^it is not a valid PNG file: /);
  });
});

describe('decodeImage: JPEG', () => {
  test('a flat-colour JPEG decodes to (nearly) that colour', () => {
    const rgba = Buffer.alloc(8 * 8 * 4);
    for (let p = 0; p < 64; p++) rgba.set([200, 100, 50, 255], 4 * p);
    const image = decodeImage(jpegEncode({ data: rgba, width: 8, height: 8 }, 95).data);
    expect([image.width, image.height]).toEqual([8, 8]);
    for (const [r, g, b, a] of pixels(image.rgba)) {
      expect(Math.abs(r! - 200)).toBeLessThanOrEqual(3);
      expect(Math.abs(g! - 100)).toBeLessThanOrEqual(3);
      expect(Math.abs(b! - 50)).toBeLessThanOrEqual(3);
      expect(a).toBe(255);
    }
  });

  test('a broken JPEG is an error in words', () => {
    expect(() => decodeImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).toThrow(/^it is not a valid JPEG file: /);
  });
});

test('the format comes from the first bytes, not the name; other bytes are refused', () => {
  expect(imageFormatOf(pngBytes({ width: 1, height: 1, colorType: 0, bitDepth: 8, rows: [[0]] }))).toBe('png');
  expect(imageFormatOf(Buffer.from([0xff, 0xd8, 0xff, 0xdb]))).toBe('jpeg');
  expect(imageFormatOf(Buffer.from('GIF89a'))).toBeNull();
  expect(() => decodeImage(Buffer.from('not an image'))).toThrow('it is neither a PNG nor a JPEG file');
});
