/**
 * The PyTorch program prepares data as mlspec does: a CSV with a byte-order mark, CRLF line ends,
 * quoted fields, blank lines, empty cells (`missing: mean` and `missing: drop`), a feature subset,
 * class names to sort, a stratified split and normalisation. Its preprocessing.json (classes,
 * features, normalisation, fill values) equals mlspec's, and training then agrees step by step.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

const ROWS = [
  'x1,"note, with comma",x2,x3,kind',
  '1.5,"a ""quoted"" cell",2,,Beta',
  '2.25,b,,3,alpha',
  '',
  '3,c,4,5e-1,Beta',
  '-4,d,5,6,alpha',
  '5,"multi',
  'line",6,7,Gamma',
  '6,f,7,8,Beta',
  '7.5,g,8,.9,alpha',
  ',h,9,1,Gamma',
  '9,i,1,2,Beta',
  '10,j,2,3,alpha',
  '11,k,3,4,Gamma',
  '12,l,4,5,Gamma',
  '13,m,5,,alpha',
  '14,n,6,7,Beta',
  '15,o,7,8,Gamma',
  '16,p,8,9,alpha',
];

const spec = (missing: string, normalize: string, file = 'table.csv', dialect = '') => `model {
  input(shape: [3])
  dense(4, activation: relu)
  dense(3, activation: softmax)
}
data {
  source: csv("${file}", label: kind, features: [x3, x1, x2], categorical: true, missing: ${missing}${dialect})
  normalize: ${normalize}
  split { train: 0.6, validation: 0.2, test: 0.2, stratify: true }
}
loss: sparse_categorical_cross_entropy
optimizer: adam(lr: 0.05)
train {
  epochs: 4
  batch: 3
  seed: 21
  metrics: [accuracy, f1]
}
`;

const VARIANTS: { name: string; missing: string; normalize: string; dialect?: boolean }[] = [
  { name: 'mean-zscore', missing: 'mean', normalize: 'zscore' },
  { name: 'drop-minmax', missing: 'drop', normalize: 'minmax' },
  { name: 'zero-none', missing: 'zero', normalize: 'none' },
  // The same table `;`-separated, gzip-compressed, with a comment line: read alike by both.
  { name: 'semicolon-gzip', missing: 'mean', normalize: 'zscore', dialect: true },
];

/** ROWS with `;` for every comma outside quotes, and a comment line after the header. */
function semicolonRows(): string[] {
  let quoted = false;
  const rows = ROWS.map((row) =>
    [...row]
      .map((ch) => {
        if (ch === '"') quoted = !quoted;
        return ch === ',' && !quoted ? ';' : ch;
      })
      .join(''),
  );
  return [rows[0]!, '# a comment line', ...rows.slice(1)];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-data-'));
let results: (number | string)[] = [];
const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const jobs: { dir: string; args: string[] }[] = [];
  for (const v of VARIANTS) {
    const dir = path.join(work, v.name);
    fs.mkdirSync(dir, { recursive: true });
    if (v.dialect) fs.writeFileSync(path.join(dir, 'table.csv.gz'), zlib.gzipSync(`\ufeff${semicolonRows().join('\r\n')}\r\n`));
    else fs.writeFileSync(path.join(dir, 'table.csv'), `\ufeff${ROWS.join('\r\n')}\r\n`);
    const source = v.dialect ? spec(v.missing, v.normalize, 'table.csv.gz', ', delimiter: ";", comment: "#"') : spec(v.missing, v.normalize);
    const built = buildSpec(dir, v.name, source);
    await runTfjs(built, path.join(dir, 'tfjs'));
    jobs.push({ dir: compileTorch(built, path.join(dir, 'program')), args: ['--out', path.join(dir, 'torch'), '--device', 'cpu', '--quiet'] });
  }
  results = runTorchPrograms(work, jobs);
}, 120_000);

describe('the PyTorch program prepares data as mlspec does', () => {
  it('every program ran', () => {
    expect(results).toEqual(VARIANTS.map(() => 0));
  });

  for (const v of VARIANTS) {
    it(`${v.name}: the same preprocessing, split and steps`, () => {
      const dir = path.join(work, v.name);
      const tfjs = read(path.join(dir, 'tfjs'));
      const torch = read(path.join(dir, 'torch'));
      expect(torch.labels).toEqual(['Beta', 'Gamma', 'alpha']);
      expect(torch.features).toEqual(['x3', 'x1', 'x2']);
      expect({ ...torch, data: null }).toEqual({ ...tfjs, data: null });
      const a = stepRecords(path.join(dir, 'tfjs'));
      const b = stepRecords(path.join(dir, 'torch'));
      expect(b.map((r) => r.step)).toEqual(a.map((r) => r.step));
      expect(maxRelativeDifference(b.map((r) => r.loss), a.map((r) => r.loss))).toBeLessThan(1e-5);
      const summary = (run: string) => JSON.parse(fs.readFileSync(path.join(dir, run, 'summary.json'), 'utf8')) as { data_hash: string; test: Record<string, number> | null };
      expect(summary('torch').data_hash).toBe(summary('tfjs').data_hash);
      expect(summary('torch').test?.accuracy).toBe(summary('tfjs').test?.accuracy);
    });
  }
});
