/** `mlspec plan` on streamed data: the split sizes the run's first pass counts, by the per-row rule. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DataCsvConfig, DataPipelineConfig } from '../../src/runtime/data/config.js';
import { prepareStreamedCsv } from '../../src/runtime/data/csv-stream-dataset.js';
import { streamedSplitSizes } from '../../src/plan/streamed-split-sizes.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-plan-stream-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('streamedSplitSizes', () => {
  it('counts what the run counts, after `missing: drop`', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => `${i % 17 === 0 ? '' : i},${['a', 'b', 'c'][i % 3]}`);
    fs.writeFileSync(path.join(tmp, 'd.csv'), `x,y\n${rows.join('\n')}\n`);
    const source: DataCsvConfig = { kind: 'csv', path: 'd.csv', label: 'y', features: null, categorical: true, missing: 'drop', stream: true };
    const pipeline: DataPipelineConfig = { reshape: null, normalize: 'none', one_hot: false, split: { train: 0.5, validation: 0.3, test: 0.2, stratify: false }, shuffle: true, seed: null };
    const sizes = await streamedSplitSizes(source, pipeline, { baseDir: tmp, seed: 9 });
    const run = await prepareStreamedCsv(source, pipeline, { baseDir: tmp, seed: 9 });
    expect({ train: sizes.train, validation: sizes.validation, test: sizes.test }).toEqual(run.streamCounts);
    expect(sizes.rows).toBe(300 - Math.ceil(300 / 17));
    expect(sizes.validation).toBeGreaterThan(50);
    expect(sizes.classes).toBe(3);
  });
});
