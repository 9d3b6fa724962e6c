/**
 * Streamed CSV data: the chunked reader gives readCsvTable's records; the shuffle buffer is seeded
 * and emits every row once; the per-row split is stable; an epoch visits every training row once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainBatchSource } from '../../../src/runtime/batch-source.js';
import type { DataCsvConfig, DataPipelineConfig } from '../../../src/runtime/data/config.js';
import { csvDialectOf, type CsvDialect } from '../../../src/runtime/data/csv-dialect.js';
import { CSV_MAX_COLUMNS, readCsvTable } from '../../../src/runtime/data/csv-read.js';
import { csvStreams, csvTooLargeToRead } from '../../../src/runtime/data/csv-stream-choice.js';
import { prepareStreamedCsv } from '../../../src/runtime/data/csv-stream-dataset.js';
import { CSV_STREAM_MAX_LINE_BYTES, CSV_STREAM_READ_BYTES, csvStreamRecords } from '../../../src/runtime/data/csv-stream-records.js';
import { dataSha256 } from '../../../src/runtime/data/hash.js';
import { fitMissingFill } from '../../../src/runtime/data/missing.js';
import { fitNormalization } from '../../../src/runtime/data/normalize.js';
import { ShuffleBuffer } from '../../../src/runtime/data/shuffle-buffer.js';
import { streamRowPart, streamSplitSeed } from '../../../src/runtime/data/stream-split.js';
import { StreamColumnStats } from '../../../src/runtime/data/stream-stats.js';
import { createRng } from '../../../src/runtime/rng.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-stream-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
beforeAll(async () => {
  await tf.setBackend('cpu');
});

const write = (name: string, text: string | Buffer): string => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

async function streamed(file: string, dialect: CsvDialect) {
  const rows: { cells: string[]; line: number }[] = [];
  let header: string[] = [];
  const bytes: Buffer[] = [];
  for await (const chunk of csvStreamRecords(file, dialect, (b) => bytes.push(b))) {
    header = chunk.header;
    rows.push(...chunk.rows);
  }
  return { header, rows, hash: dataSha256(Buffer.concat(bytes)) };
}

describe('csvStreamRecords', () => {
  // Larger than one read piece, so records and quoted fields cross piece boundaries.
  const lines = ['id,name,value'];
  for (let i = 0; i < 120_000; i++) lines.push(i % 997 === 0 ? `${i},"a, ""quoted""\nname ${i}",${i / 8}` : `${i},n${i},${i / 8}`);
  const big = `${lines.join('\r\n')}\r\n`;

  it.each([
    ['plain, CRLF, quoted fields over line ends, larger than a read piece', 'big.csv', big, {}],
    ['gzip', 'big.csv.gz', zlib.gzipSync(big), {}],
    ['delimiter, comment lines, blank lines and a BOM', 'semi.csv', '\uFEFFa;b;c\n# note\n1;2;x\n\n3;"4;5";y\n#x\n6;7;z', { delimiter: ';', comment: '#' }],
    ['header: false with columns', 'nohead.tsv', '1\t2\tx\n3\t4\ty\n', { delimiter: '\t', header: false, columns: ['a', 'b', 'c'] }],
  ] as const)('gives the records readCsvTable gives: %s', async (_, name, text, options) => {
    const file = write(name, text);
    const dialect = csvDialectOf(options as Partial<CsvDialect>);
    const whole = readCsvTable(file, tmp, dialect);
    const stream = await streamed(file, dialect);
    expect(stream.header).toEqual(whole.header);
    expect(stream.rows).toEqual(whole.rows);
    expect(stream.hash).toBe(whole.hash);
    if (name === 'big.csv') expect(Buffer.byteLength(text)).toBeGreaterThan(2 * CSV_STREAM_READ_BYTES);
  });

  it('names the line of a row with the wrong number of cells, and of an unclosed quote', async () => {
    await expect(streamed(write('short.csv', 'a,b\n1,2\n3\n'), csvDialectOf({}))).rejects.toMatchObject({ code: 'E0512', line: 3 });
    await expect(streamed(write('open.csv', 'a,b\n1,2\n3,"4\n'), csvDialectOf({}))).rejects.toMatchObject({ code: 'E0502', line: 3 });
  });

  it('refuses a header wider than mlspec reads, and a line too long to be a row (memory stays bounded)', async () => {
    const wide = write('wide.csv', `${Array.from({ length: CSV_MAX_COLUMNS + 1 }, (_, i) => `c${i}`).join(',')}\n`);
    await expect(streamed(wide, csvDialectOf({}))).rejects.toMatchObject({ code: 'E0531', line: 1 });
    const huge = path.join(tmp, 'one-line.csv');
    fs.writeFileSync(huge, 'a,b\n1,');
    fs.truncateSync(huge, CSV_STREAM_MAX_LINE_BYTES + 4 * CSV_STREAM_READ_BYTES); // sparse: NUL bytes, no line end
    const error = await streamed(huge, csvDialectOf({})).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E0531', line: 2 });
    expect((error as Error).message).toMatch(/line 2 is longer than 64 MiB/);
    fs.rmSync(huge);
  });
});

describe('ShuffleBuffer', () => {
  const order = (seed: number, capacity: number, n = 1000): number[] => {
    const buffer = new ShuffleBuffer<number>(capacity, createRng(seed));
    const out: number[] = [];
    for (let i = 0; i < n; i++) buffer.offer(i, out);
    buffer.drain(out);
    return out;
  };

  it('emits every row exactly once, in an order fixed by the seed', () => {
    const a = order(1, 64);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(order(1, 64)).toEqual(a);
    expect(order(2, 64)).not.toEqual(a);
    expect(a).not.toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('moves a row at most as far ahead as the buffer allows, and shuffles all rows when it holds them all', () => {
    const a = order(3, 10);
    // Row i cannot be emitted before i - capacity rows have entered.
    a.forEach((row, position) => expect(row).toBeLessThanOrEqual(position + 10));
    const whole = order(3, 5000);
    expect(whole.slice(0, 10)).not.toEqual(Array.from({ length: 10 }, (_, i) => i));
  });
});

describe('the per-row split of streamed data', () => {
  const split = { validation: 0.2, test: 0.1 };
  it('depends only on the seed and the line, and gives each split its ratio in expectation', () => {
    const seed = streamSplitSeed(7);
    const parts = Array.from({ length: 100_000 }, (_, i) => streamRowPart(seed, i + 2, split));
    expect(Array.from({ length: 100_000 }, (_, i) => streamRowPart(seed, i + 2, split))).toEqual(parts);
    const share = (p: number) => parts.filter((x) => x === p).length / parts.length;
    expect(share(1)).toBeCloseTo(0.2, 2);
    expect(share(2)).toBeCloseTo(0.1, 2);
    const other = Array.from({ length: 100_000 }, (_, i) => streamRowPart(streamSplitSeed(8), i + 2, split));
    expect(other).not.toEqual(parts);
  });
});

describe('StreamColumnStats', () => {
  it('gives the statistics of the rows in memory (missing: mean filled first), up to rounding', () => {
    const rows = Array.from({ length: 500 }, (_, i) => [Math.sin(i) * 10 + 3, i % 7 === 0 ? NaN : i * 0.5, 4]);
    const stats = new StreamColumnStats(3);
    rows.forEach((row) => stats.add(row));
    const fill = fitMissingFill(rows, 3);
    expect(stats.fill()[1]).toBeCloseTo(fill[1]!, 10);
    const filled = rows.map((row) => row.map((v, j) => (Number.isNaN(v) ? fill[j]! : v)));
    for (const kind of ['zscore', 'minmax'] as const) {
      const expected = fitNormalization(kind, filled, 3);
      const got = stats.normalization(kind);
      got.shift.forEach((v, j) => expect(v).toBeCloseTo(expected.shift[j]!, 9));
      got.scale.forEach((v, j) => expect(v).toBeCloseTo(expected.scale[j]!, 9));
    }
    expect(stats.normalization('zscore').scale[2]).toBe(1);
  });
});

describe('prepareStreamedCsv', () => {
  const pipeline: DataPipelineConfig = {
    reshape: null,
    normalize: 'none',
    one_hot: false,
    split: { train: 0.7, validation: 0.2, test: 0.1, stratify: false },
    shuffle: true,
    seed: 5,
  };
  const source = (file: string, extra: Partial<DataCsvConfig> = {}): DataCsvConfig => ({
    kind: 'csv',
    path: file,
    label: 'y',
    features: null,
    categorical: true,
    missing: 'error',
    shuffle_buffer: 32,
    ...extra,
  });
  const ids = Array.from({ length: 1000 }, (_, i) => i);
  const file = () => write('ids.csv', `id,y\n${ids.map((i) => `${i},${i % 3 === 0 ? 'a' : 'b'}`).join('\n')}\n`);

  async function epochIds(stream: TrainBatchSource, epoch: number, batch: number, from = 0): Promise<number[][]> {
    const batches: number[][] = [];
    const iterator = stream.epoch(epoch, batch, from);
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      batches.push(Array.from(await next.value.x.data()));
      next.value.release();
    }
    return batches;
  }

  it('visits every training row once per epoch, in an order fixed by the seed and epoch; resumes mid-epoch', async () => {
    const data = await prepareStreamedCsv(source(file()), pipeline, { baseDir: tmp, seed: 1 });
    const seed = streamSplitSeed(5);
    // Row i is on line i + 2; the split is the per-row rule.
    const trainIds = ids.filter((i) => streamRowPart(seed, i + 2, pipeline.split) === 0);
    expect(data.trainStream.rows).toBe(trainIds.length);
    expect(data.streamCounts.validation).toBe(ids.filter((i) => streamRowPart(seed, i + 2, pipeline.split) === 1).length);
    expect(Array.from(await data.validation!.x.data())).toEqual(ids.filter((i) => streamRowPart(seed, i + 2, pipeline.split) === 1));
    expect(data.labels).toEqual(['a', 'b']);

    const first = await epochIds(data.trainStream, 0, 64);
    expect(first.slice(0, -1).every((b) => b.length === 64)).toBe(true);
    expect(first.flat().sort((a, b) => a - b)).toEqual(trainIds);
    expect(first.flat()).not.toEqual(trainIds);
    expect(await epochIds(data.trainStream, 0, 64)).toEqual(first);
    expect((await epochIds(data.trainStream, 1, 64)).flat()).not.toEqual(first.flat());
    expect(await epochIds(data.trainStream, 0, 64, 3)).toEqual(first.slice(3));
    const again = await prepareStreamedCsv(source(file()), pipeline, { baseDir: tmp, seed: 1 });
    expect(again.streamCounts).toEqual(data.streamCounts);
    expect(again.hash).toBe(data.hash);
  });

  it('keeps file order without shuffle, and normalises with the training statistics', async () => {
    const data = await prepareStreamedCsv(source(file()), { ...pipeline, shuffle: false, normalize: 'minmax' }, { baseDir: tmp, seed: 1 });
    const { shift, scale } = data.normalization;
    const seen = (await epochIds(data.trainStream, 0, 100)).flat().map((v) => Math.round(v * scale[0]! + shift[0]!));
    const seed = streamSplitSeed(5);
    expect(seen).toEqual(ids.filter((i) => streamRowPart(seed, i + 2, pipeline.split) === 0));
    expect(Math.min(...seen)).toBe(shift[0]);
  });

  it('refuses a file that changed between passes', async () => {
    const changing = file();
    const data = await prepareStreamedCsv(source(changing), pipeline, { baseDir: tmp, seed: 1 });
    fs.appendFileSync(changing, Array.from({ length: 200 }, (_, i) => `${2000 + i},a`).join('\n'));
    await expect(epochIds(data.trainStream, 0, 64)).rejects.toMatchObject({ code: 'E0561' });
  });
});

describe('when data is streamed', () => {
  it('streams with stream: true, never with stream: false, and by default only a file too large to read at once', () => {
    const small = write('small.csv', 'a,y\n1,2\n');
    const huge = path.join(tmp, 'huge.csv');
    fs.writeFileSync(huge, 'a,y\n');
    fs.truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk used
    const config = (p: string, stream?: boolean | null): DataCsvConfig => ({ kind: 'csv', path: p, label: 'y', features: null, categorical: false, missing: 'error', stream });
    expect(csvStreams(config(small), tmp)).toBe(false);
    expect(csvStreams(config(small, true), tmp)).toBe(true);
    expect(csvStreams(config(huge, null), tmp)).toBe(true);
    expect(csvStreams(config(huge, false), tmp)).toBe(false);
    // A .gz file by the decompressed size gzip records.
    const gzipped = zlib.gzipSync('a,y\n1,2\n');
    gzipped.writeUInt32LE(600 * 1024 * 1024, gzipped.length - 4); // ISIZE, as a 600 MiB text would have it
    const gz = write('big.csv.gz', gzipped);
    expect(csvTooLargeToRead(gz)).toBe(true);
    expect(csvTooLargeToRead(write('small.csv.gz', zlib.gzipSync('a,y\n1,2\n')))).toBe(false);
    fs.rmSync(huge);
  });
});
