/**
 * PNG files of every colour type, bit depth, filter and interlacing, written by hand (chunks,
 * zlib.deflateSync, zlib.crc32) so a test can feed the PyTorch target's decoder the files pngjs
 * reads, including those pngjs's own encoder cannot write (palettes, 1/2/4-bit, Adam7).
 */
import * as zlib from 'node:zlib';

export interface PngFixture {
  name: string;
  bytes: Buffer;
}

export interface PngLayout {
  width: number;
  height: number;
  depth: 1 | 2 | 4 | 8 | 16;
  /** 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA. */
  colour: 0 | 2 | 3 | 4 | 6;
  interlace?: boolean;
  /** The tRNS chunk: a key colour (colour 0 and 2) or one alpha per palette entry (colour 3). */
  transparency?: number[];
  /** One filter type for every row; by default rows use 0-4 in turn. */
  filter?: number;
  /** Bytes added to (positive: zeros) or cut from (negative) the end of the inflated rows, for damaged files. */
  extra?: number;
  /** Palette entries (RGB), for colour 3. */
  palette?: [number, number, number][];
}

const SAMPLES = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const ADAM7: [number[], number[]][] = [
  [[0], [0]],
  [[4], [0]],
  [[0, 4], [4]],
  [[2, 6], [0, 4]],
  [[0, 2, 4, 6], [2, 6]],
  [[1, 3, 5, 7], [0, 2, 4, 6]],
  [[0, 1, 2, 3, 4, 5, 6, 7], [1, 3, 5, 7]],
];

function chunk(name: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(name, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(name, 'latin1'), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** One row's bytes, filtered with `kind` against the previous row (null: the first row of a pass). */
function filterRow(row: Buffer, previous: Buffer | null, kind: number, left: number): Buffer {
  const out = Buffer.alloc(row.length + 1);
  out[0] = kind;
  for (let x = 0; x < row.length; x++) {
    const a = x >= left ? row[x - left]! : 0;
    const b = previous ? previous[x]! : 0;
    const c = x >= left && previous ? previous[x - left]! : 0;
    const predictor = [0, a, b, Math.floor((a + b) / 2), paeth(a, b, c)][kind] ?? 0; // kind 5 and up: no such filter, for damaged files
    out[x + 1] = (row[x]! - predictor) & 255;
  }
  return out;
}

/** Packs the samples of one row (each < 2^depth) into bytes, MSB first, big-endian for 16 bits. */
function packRow(samples: number[], depth: number): Buffer {
  if (depth === 16) {
    const out = Buffer.alloc(samples.length * 2);
    samples.forEach((s, i) => out.writeUInt16BE(s, 2 * i));
    return out;
  }
  const out = Buffer.alloc(Math.ceil((samples.length * depth) / 8));
  samples.forEach((s, i) => {
    const bit = i * depth;
    out[bit >> 3] |= s << (8 - depth - (bit & 7));
  });
  return out;
}

/** A PNG of `layout` whose sample (x, y, s) is `sample(x, y, s)`; rows use the filters 0-4 in turn. */
export function encodePng(layout: PngLayout, sample: (x: number, y: number, s: number) => number): Buffer {
  const { width, height, depth, colour } = layout;
  const samples = SAMPLES[colour];
  const left = Math.max(1, (samples * depth) >> 3);
  const passes = layout.interlace
    ? ADAM7.map(([xs, ys]) => ({
        xs: Array.from({ length: width }, (_, x) => x).filter((x) => xs.includes(x % 8)),
        ys: Array.from({ length: height }, (_, y) => y).filter((y) => ys.includes(y % 8)),
      })).filter((p) => p.xs.length > 0 && p.ys.length > 0)
    : [{ xs: Array.from({ length: width }, (_, x) => x), ys: Array.from({ length: height }, (_, y) => y) }];
  const rows: Buffer[] = [];
  let kind = 0;
  for (const { xs, ys } of passes) {
    let previous: Buffer | null = null;
    for (const y of ys) {
      const row = packRow(xs.flatMap((x) => Array.from({ length: samples }, (_, s) => sample(x, y, s))), depth);
      rows.push(filterRow(row, previous, layout.filter ?? kind, left));
      kind = (kind + 1) % 5;
      previous = row;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([depth, colour, 0, 0, layout.interlace ? 1 : 0], 8);
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header)];
  // An ancillary chunk both decoders skip, and gAMA, which pngjs records but does not apply.
  parts.push(chunk('tEXt', Buffer.from('Comment\0mlspec test', 'latin1')), chunk('gAMA', Buffer.from([0, 0, 0xb1, 0x8f])));
  if (layout.palette) parts.push(chunk('PLTE', Buffer.from(layout.palette.flat())));
  if (layout.transparency) {
    const body = colour === 3 ? Buffer.from(layout.transparency) : packRow(layout.transparency, 16);
    parts.push(chunk('tRNS', body));
  }
  const stream = Buffer.concat(rows);
  const extra = layout.extra ?? 0;
  const data = zlib.deflateSync(extra >= 0 ? Buffer.concat([stream, Buffer.alloc(extra)]) : stream.subarray(0, stream.length + extra));
  // Two IDAT chunks, as large files have.
  const half = data.length >> 1;
  parts.push(chunk('IDAT', data.subarray(0, half)), chunk('IDAT', data.subarray(half)), chunk('IEND', Buffer.alloc(0)));
  return Buffer.concat(parts);
}

/** A small deterministic generator (an LCG; use its high bits, the low ones repeat quickly), so the fixtures are the same on every run. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state;
  };
}

/** Every colour type and bit depth pngjs reads, odd sizes, both interlacings, tRNS keys that occur. */
export function pngFixtures(): PngFixture[] {
  const out: PngFixture[] = [];
  const add = (name: string, layout: PngLayout, seed: number) => {
    const next = lcg(seed);
    const max = layout.colour === 3 ? layout.palette!.length - 1 : 2 ** layout.depth - 1;
    const values = new Map<string, number>();
    // A few repeated colours, so that tRNS keys and R = G = B pixels occur.
    const sample = (x: number, y: number, s: number) => {
      const key = `${x},${y},${s}`;
      if (!values.has(key)) values.set(key, (x + y) % 4 === 0 ? (layout.transparency && layout.colour !== 3 ? layout.transparency[s % layout.transparency.length]! : max) : (next() >>> 8) % (max + 1));
      return values.get(key)!;
    };
    out.push({ name, bytes: encodePng(layout, sample) });
  };
  add('grey8', { width: 13, height: 7, depth: 8, colour: 0 }, 1);
  add('grey16', { width: 9, height: 5, depth: 16, colour: 0 }, 2);
  add('grey1', { width: 11, height: 6, depth: 1, colour: 0 }, 3);
  add('grey2', { width: 7, height: 9, depth: 2, colour: 0 }, 4);
  add('grey4', { width: 5, height: 4, depth: 4, colour: 0 }, 5);
  add('grey8-key', { width: 8, height: 8, depth: 8, colour: 0, transparency: [77] }, 6);
  add('grey4-key', { width: 6, height: 5, depth: 4, colour: 0, transparency: [9] }, 7);
  add('grey-alpha8', { width: 10, height: 3, depth: 8, colour: 4 }, 8);
  add('grey-alpha16', { width: 4, height: 6, depth: 16, colour: 4 }, 9);
  add('rgb8', { width: 17, height: 11, depth: 8, colour: 2 }, 10);
  add('rgb16', { width: 6, height: 7, depth: 16, colour: 2 }, 11);
  add('rgb8-key', { width: 9, height: 9, depth: 8, colour: 2, transparency: [10, 20, 30] }, 12);
  add('rgb16-key', { width: 5, height: 5, depth: 16, colour: 2, transparency: [1000, 2000, 3000] }, 13);
  add('rgba8', { width: 12, height: 5, depth: 8, colour: 6 }, 14);
  add('rgba16', { width: 3, height: 8, depth: 16, colour: 6 }, 15);
  const palette = (n: number, seed: number): [number, number, number][] => {
    const next = lcg(seed);
    return Array.from({ length: n }, (_, i) => (i % 3 === 0 ? [i * 7, i * 7, i * 7] : [next() >>> 24, next() >>> 24, next() >>> 24]));
  };
  add('palette8', { width: 14, height: 9, depth: 8, colour: 3, palette: palette(40, 16), transparency: [0, 128, 255] }, 17);
  add('palette4', { width: 7, height: 7, depth: 4, colour: 3, palette: palette(16, 18) }, 19);
  add('palette1', { width: 9, height: 3, depth: 1, colour: 3, palette: palette(2, 20) }, 21);
  add('interlaced-rgb8', { width: 13, height: 11, depth: 8, colour: 2, interlace: true }, 22);
  add('interlaced-grey2', { width: 9, height: 10, depth: 2, colour: 0, interlace: true }, 23);
  add('interlaced-rgba16', { width: 3, height: 2, depth: 16, colour: 6, interlace: true }, 24);
  add('interlaced-palette4', { width: 10, height: 9, depth: 4, colour: 3, interlace: true, palette: palette(12, 25) }, 26);
  // Random bytes with Paeth on every row: its ties (a + b = 2c, a != b) occur about once in 500 bytes.
  add('rgb8-paeth', { width: 48, height: 32, depth: 8, colour: 2, filter: 4 }, 28);
  add('rgba16-average', { width: 20, height: 12, depth: 16, colour: 6, filter: 3 }, 29);
  add('one-pixel', { width: 1, height: 1, depth: 8, colour: 2 }, 27);
  return out;
}
