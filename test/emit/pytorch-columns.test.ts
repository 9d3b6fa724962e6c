/**
 * The PyTorch program encodes typed columns as mlspec does: the same vocabularies (training split
 * only, code point order), the same unseen id 0, the same one-hot order and binary values, the
 * same normalisation of numeric columns alone, and several inputs sliced from one x. Its
 * preprocessing.json equals mlspec's, and training agrees step by step; `mlspec evaluate` reads
 * new rows with an unseen city for the PyTorch-trained model too. Needs torch (/usr/bin/python3)
 * and `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSpec, compileTorch, maxRelativeDifference, runTfjs, runTorchPrograms, stepRecords } from './pytorch-helpers.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CITIES = ['Zagreb', 'Åbo', 'Lima', 'Oslo', 'Kyiv', 'Ghent'];

/** 48 rows: an empty age and an empty city (kept as unseen by `missing: mean`); Ghent occurs in the last rows only. */
function table(): string {
  const rows = ['age,city,member,score,label'];
  for (let i = 0; i < 48; i++) {
    const city = i >= 44 ? 'Ghent' : i === 7 ? '' : CITIES[i % 5]!;
    const age = i === 3 ? '' : String(20 + ((i * 7) % 41));
    const member = i % 3 === 0 ? 'yes' : 'no';
    const label = (i * 7) % 41 > 20 || member === 'yes' ? 'buy' : 'skip';
    rows.push(`${age},${city},${member},${((i * 13) % 17) / 4},${label}`);
  }
  return `${rows.join('\n')}\n`;
}

/** The two-input model (a numeric branch and a city embedding, concatenated), its inputs reading the columns given. */
const twoInputs = (numeric: string, city = 'from: [city]') => `model {
  numeric = input(shape: [3], ${numeric})
  city = input(shape: [1], dtype: int32, ${city})
  h = dense(4, activation: relu) <- numeric
  e = embedding(vocab: 8, dim: 3) <- city
  f = flatten <- e
  both = concat <- h, f
  probs = dense(2, activation: softmax) <- both
  output: probs
}`;

const VARIANTS = {
  'two-inputs': twoInputs('from: [age, member, score]'),
  // The numeric input scales its own columns (minmax) while the data section says zscore.
  'own-normalize': twoInputs('from: [age, member, score], normalize: minmax'),
  // The numeric input fills its empty cells with 0 while the source drops rows (the empty city's).
  'own-missing': twoInputs('from: [age, member, score], missing: zero'),
  // Columns selected by type: numeric columns (age, score), then the binary one (member); the category one (city).
  selectors: twoInputs('from: [numeric, binary]', 'from: [category]'),
  'one-hot': `model {
  input(shape: [9])
  dense(4, activation: relu)
  dense(2, activation: softmax)
}`,
};

const spec = (model: string) => `${model}
data {
  source: csv("table.csv", label: label, categorical: true, category: [city], binary: [member], missing: mean, features: [age, city, member, score])
  normalize: zscore
  split { train: 0.75, validation: 0.125, test: 0.125 }
  shuffle: false
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

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-columns-'));
let results: (number | string)[] = [];
const read = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'preprocessing.json'), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  const jobs: { dir: string; args: string[] }[] = [];
  for (const [name, model] of Object.entries(VARIANTS)) {
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'table.csv'), table());
    // `features` and `from` exclude each other: the two-input spec names its columns in the inputs.
    let source = name === 'one-hot' ? spec(model) : spec(model).replace(', features: [age, city, member, score]', '');
    if (name === 'own-normalize') source = source.replace('normalize: zscore', 'normalize: none');
    if (name === 'own-missing') source = source.replace('missing: mean', 'missing: drop');
    const built = buildSpec(dir, name, source);
    await runTfjs(built, path.join(dir, 'tfjs'));
    jobs.push({ dir: compileTorch(built, path.join(dir, 'program')), args: ['--out', path.join(dir, 'torch'), '--device', 'cpu', '--quiet'] });
  }
  results = runTorchPrograms(work, jobs);
}, 120_000);

describe('the PyTorch program encodes typed columns as mlspec does', () => {
  it('every program ran', () => {
    expect(results).toEqual(Object.keys(VARIANTS).map(() => 0));
  });

  for (const name of Object.keys(VARIANTS)) {
    it(`${name}: the same vocabularies, preprocessing and steps`, () => {
      const dir = path.join(work, name);
      const tfjs = read(path.join(dir, 'tfjs'));
      const torch = read(path.join(dir, 'torch'));
      const columns = torch.columns as { name: string; vocabulary: string[] | null; oneHot: boolean }[];
      // Training rows are the first 36: Ghent (rows 45-48) is not in the vocabulary; Åbo sorts after Zagreb by code point.
      expect(columns.find((c) => c.name === 'city')!.vocabulary).toEqual(['Kyiv', 'Lima', 'Oslo', 'Zagreb', 'Åbo']);
      expect(columns.find((c) => c.name === 'city')!.oneHot).toBe(name === 'one-hot');
      expect(columns.find((c) => c.name === 'member')!.vocabulary).toEqual(['no', 'yes']);
      expect({ ...torch, data: null }).toEqual({ ...tfjs, data: null });
      const normalization = torch.normalization as { kind: string; shift: number[]; scale: number[] };
      // The binary member (or city=<unseen> one-hot) keeps shift 0 and scale 1; age (column 0) is scaled.
      expect(normalization.kind).toBe(name === 'own-normalize' ? 'minmax' : 'zscore');
      const unscaled = name === 'selectors' ? 2 : 1;
      expect([normalization.shift[unscaled], normalization.scale[unscaled]]).toEqual([0, 1]);
      expect(normalization.scale[0]).not.toBe(1);
      // missing: mean fills the empty age with the training mean; own-missing fills it with 0 and drops the empty city's row.
      expect(torch.missingFill === null).toBe(name === 'own-missing');
      expect(torch.features).toEqual(name === 'one-hot' ? ['age', 'city', 'member', 'score'] : name === 'selectors' ? ['age', 'score', 'member', 'city'] : ['age', 'member', 'score', 'city']);
      const a = stepRecords(path.join(dir, 'tfjs'));
      const b = stepRecords(path.join(dir, 'torch'));
      expect(b.map((r) => r.step)).toEqual(a.map((r) => r.step));
      expect(maxRelativeDifference(b.map((r) => r.loss), a.map((r) => r.loss))).toBeLessThan(1e-5);
    });
  }

  it('mlspec evaluate reads new rows with an unseen city for the PyTorch-trained two-input model, as for the tfjs one', () => {
    const dir = path.join(work, 'two-inputs');
    fs.writeFileSync(path.join(dir, 'new.csv'), 'age,city,member,score,label\n30,Paris,yes,1.5,buy\n52,Lima,no,2,skip\n41,Ghent,no,0.5,buy\n');
    const evaluate = (run: string) => {
      const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlspec.js'), 'evaluate', path.join(dir, run), '--data', path.join(dir, 'new.csv'), '--json'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { rows: number; loss: number };
    };
    const torch = evaluate('torch');
    const tfjs = evaluate('tfjs');
    expect(torch.rows).toBe(3);
    expect(Math.abs(torch.loss - tfjs.loss) / Math.abs(tfjs.loss)).toBeLessThan(1e-4);
  });
});
