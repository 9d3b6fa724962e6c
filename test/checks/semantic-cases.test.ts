/**
 * The silent-wrong and crash cases of issue #17 through the CLI: each ends in a located
 * diagnostic before anything trains (exit 1), and the shuffle warning shows in `plan` as well as
 * `check` (fixtures in test/fixtures/invalid pin code, line and column).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { analyze } from '../../src/frontend.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-semantic-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const fixture = (name: string): string => `test/fixtures/invalid/${name}.mlspec`;

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: ROOT };
  const code = await main(argv, io);
  return { code, stdout, stderr, all: stdout + stderr };
}

describe('refused before training, with a located diagnostic', () => {
  it('mse after a 3-unit softmax on class labels: error E0524 at the loss, not an internal error', async () => {
    const r = await mlspec('run', fixture('regression-loss-softmax-classes'), '--out', path.join(tmp, 'softmax'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.all).toContain('regression-loss-softmax-classes.mlspec:11:7: error[E0524]');
    expect(r.all).not.toContain('internal error');
  });

  it('lr 5e-324: error E0405, no V8 fatal error', async () => {
    const r = await mlspec('run', fixture('denormal-learning-rate'), '--out', path.join(tmp, 'lr'), '--quiet');
    expect(r.code).toBe(1);
    expect(r.all).toContain('denormal-learning-rate.mlspec:11:21: error[E0405]');
  });

  it('accuracy after mse: error E0610 in check', async () => {
    const r = await mlspec('check', fixture('accuracy-on-regression'));
    expect(r.code).toBe(1);
    expect(r.all).toContain('error[E0610]');
  });
});

describe('shuffle: false on sorted labels', () => {
  it('plan warns (W0501) and says what shuffle controls', async () => {
    const r = await mlspec('plan', fixture('shuffle-false-sorted-labels'));
    expect(r.code).toBe(0);
    expect(r.all).toContain('shuffle-false-sorted-labels.mlspec:10:12: warning[W0501]');
    expect(r.all).toContain('shuffle controls both the row order the split is taken from and the order of each epoch');
  });

  it('no warning when the same file is shuffled or the split is stratified', () => {
    const file = fixture('shuffle-false-sorted-labels');
    const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
    expect(analyze(source, file).diagnostics.map((d) => d.code)).toEqual(['W0501']);
    for (const text of [source.replace('  shuffle: false', '  shuffle: true'), source.replace('test: 0.3 }', 'test: 0.3, stratify: true }')]) {
      expect(analyze(text, file).diagnostics).toEqual([]);
    }
  });
});

describe('hints that live in notes', () => {
  const notesOf = (name: string): string[] => {
    const file = fixture(name);
    return analyze(fs.readFileSync(path.join(ROOT, file), 'utf8'), file).diagnostics.flatMap((d) => d.notes ?? []);
  };

  it('a quoted loss name: write it without quotes', () => {
    expect(notesOf('quoted-loss')).toContain('Write it without quotes: mse.');
  });

  it('a percent sign in the split: write fractions', () => {
    expect(notesOf('syntax-percent-sign')).toContain('write ratios as fractions: 0.7 rather than 70%');
  });

  it('an unclosed brace: the end of the file is related information', () => {
    const file = fixture('syntax-unclosed-model');
    const [d] = analyze(fs.readFileSync(path.join(ROOT, file), 'utf8'), file).diagnostics;
    expect(d!.related).toEqual([{ message: "the file ends here, without the '}'", span: expect.objectContaining({ start: expect.objectContaining({ line: 11, column: 1 }) }) }]);
  });
});
