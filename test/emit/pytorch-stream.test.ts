/**
 * Streamed data (`stream: true`) in the PyTorch program: the same per-row split, Welford
 * statistics, class names, data hash and shuffle-buffer order as mlspec run, so training agrees
 * step by step; on a table with a byte-order mark, CRLF line ends, a quoted field over two lines,
 * empty cells (`missing: mean`), and once gzip-compressed with `;` and a comment line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

/** 60 rows: x1, a note (quoted, once over two lines), x2 (sometimes empty), kind. */
function rows(delimiter: string): string[] {
  const out = [`x1${delimiter}note${delimiter}x2${delimiter}kind`];
  if (delimiter === ';') out.push('# a comment line');
  for (let i = 0; i < 60; i++) {
    const note = i === 7 ? '"two\r\nlines"' : i % 9 === 0 ? `"a ""q""${delimiter} ${i}"` : `n${i}`;
    const x2 = i % 11 === 3 ? '' : String((i * 7) % 13);
    out.push([String(i / 4), note, x2, ['alpha', 'Beta', 'Gamma'][(i * 5) % 3]].join(delimiter));
  }
  return out;
}

const spec = (file: string, dialect: string) => `model {
  input(shape: [2])
  dense(4, activation: relu)
  dense(3, activation: softmax)
}
data {
  source: csv("${file}", label: kind, features: [x2, x1], categorical: true, missing: mean, stream: true, shuffle_buffer: 8${dialect})
  normalize: zscore
  split { validation: 0.2, test: 0.2 }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.05)
train {
  epochs: 3
  batch: 5
  seed: 4
  metrics: [accuracy]
}
`;

const VARIANTS = [
  { name: 'plain', file: 'table.csv', dialect: '' },
  { name: 'semicolon-gzip', file: 'table.csv.gz', dialect: ', delimiter: ";", comment: "#"' },
];

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-stream-'));
let results: (number | string)[] = [];
const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const jobs: { dir: string; args: string[] }[] = [];
  for (const v of VARIANTS) {
    const dir = path.join(work, v.name);
    fs.mkdirSync(dir, { recursive: true });
    const text = `\ufeff${rows(v.file.endsWith('.gz') ? ';' : ',').join('\r\n')}\r\n`;
    fs.writeFileSync(path.join(dir, v.file), v.file.endsWith('.gz') ? zlib.gzipSync(text) : text);
    const built = buildSpec(dir, v.name, spec(v.file, v.dialect));
    await runTfjs(built, path.join(dir, 'tfjs'));
    jobs.push({ dir: compileTorch(built, path.join(dir, 'program')), args: ['--out', path.join(dir, 'torch'), '--device', 'cpu', '--quiet'] });
  }
  results = runTorchPrograms(work, jobs);
}, 120_000);

describe('the PyTorch program streams data as mlspec does', () => {
  it('every program ran', () => {
    expect(results).toEqual(VARIANTS.map(() => 0));
  });

  for (const v of VARIANTS) {
    it(`${v.name}: the same statistics, split, hash and batches`, () => {
      const dir = path.join(work, v.name);
      const tfjs = read(path.join(dir, 'tfjs'));
      const torch = read(path.join(dir, 'torch'));
      expect(torch.labels).toEqual(['Beta', 'Gamma', 'alpha']);
      // Welford in the same order in float64 on both sides: the same numbers, not just close ones.
      expect({ ...torch, data: null }).toEqual({ ...tfjs, data: null });
      const a = stepRecords(path.join(dir, 'tfjs'));
      const b = stepRecords(path.join(dir, 'torch'));
      expect(a.length).toBeGreaterThan(9);
      expect(b.map((r) => r.step)).toEqual(a.map((r) => r.step));
      expect(maxRelativeDifference(b.map((r) => r.loss), a.map((r) => r.loss))).toBeLessThan(1e-5);
      const summary = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, run, 'summary.json'), 'utf8')) as { data_hash: string; validation: Record<string, number> | null };
      expect(summary('torch').data_hash).toBe(summary('tfjs').data_hash);
      expect(summary('torch').validation?.accuracy).toBe(summary('tfjs').validation?.accuracy);
    });
  }
});
