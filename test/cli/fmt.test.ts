/** `mlspec fmt` in-process through main() with a capturing CliIO, on copies in a temporary folder. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';
import { parse } from '../../src/syntax/parse.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mlspec')).sort();
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-fmt-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

let dir = '';
let counter = 0;
beforeEach(() => {
  dir = path.join(base, String(counter++));
  fs.mkdirSync(dir);
});

async function mlspec(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, interactive: false, cwd: dir };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

// Messy but valid: odd spacing, no indentation, comments everywhere, extra blank lines.
const MESSY = [
  '# header comment',
  'model {   input(shape:[4])',
  '  dense( 16 ,activation:relu)   # hidden layer',
  'dense(3, activation : softmax)',
  '}',
  '',
  '',
  '',
  '// a slash comment before the data',
  'data { source: csv("data.csv", label: species, categorical: true) }',
  'loss:sparse_categorical_cross_entropy',
  'optimizer: adam( lr: 0.01 )',
  'train { epochs: 3  # few',
  '}',
  '',
].join('\n');
const FORMATTED_MODEL = 'model {\n  input(shape: [4])\n  dense(16, activation: relu) # hidden layer\n  dense(3, activation: softmax)\n}\n';

const comments = (source: string) => parse(source, 'x.mlspec').ast.comments.map((c) => c.text.trim());

describe('mlspec fmt', () => {
  it('is idempotent on every example: already formatted, --check passes and nothing is written', async () => {
    for (const name of EXAMPLES) fs.copyFileSync(path.join(ROOT, 'examples', name), path.join(dir, name));
    const before = EXAMPLES.map((name) => fs.statSync(path.join(dir, name)).mtimeMs);
    const check = await mlspec('fmt', '--check', ...EXAMPLES);
    expect(check).toEqual({ code: 0, stdout: '', stderr: `mlspec fmt: 0 of ${EXAMPLES.length} files would be reformatted.\n` });
    const run = await mlspec('fmt', ...EXAMPLES);
    expect(run.code).toBe(0);
    for (const [i, name] of EXAMPLES.entries()) {
      expect(read(name)).toBe(fs.readFileSync(path.join(ROOT, 'examples', name), 'utf8'));
      expect(fs.statSync(path.join(dir, name)).mtimeMs).toBe(before[i]);
    }
  });

  it('rewrites a messy spec in place, keeping every comment; a second run changes nothing', async () => {
    write('messy.mlspec', MESSY);
    const r = await mlspec('fmt', 'messy.mlspec');
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'mlspec fmt: reformatted messy.mlspec\nmlspec fmt: 1 of 1 file reformatted.\n' });
    const once = read('messy.mlspec');
    expect(once.startsWith(`# header comment\n${FORMATTED_MODEL}`)).toBe(true);
    expect(once).toContain('\n\n// a slash comment before the data\n');
    expect(once).not.toContain('\n\n\n');
    expect(comments(once)).toEqual(comments(MESSY));
    expect(await mlspec('fmt', '--check', 'messy.mlspec')).toMatchObject({ code: 0, stdout: '' });
    await mlspec('fmt', 'messy.mlspec');
    expect(read('messy.mlspec')).toBe(once);
  });

  it('--check lists the files that would change on stdout, exits 1 and writes nothing', async () => {
    write('messy.mlspec', MESSY);
    fs.copyFileSync(path.join(ROOT, 'examples/iris.mlspec'), path.join(dir, 'iris.mlspec'));
    const r = await mlspec('fmt', '--check', 'iris.mlspec', 'messy.mlspec');
    expect(r).toEqual({ code: 1, stdout: 'messy.mlspec\n', stderr: 'mlspec fmt: 1 of 2 files would be reformatted.\n' });
    expect(read('messy.mlspec')).toBe(MESSY);
  });

  it('--stdout prints the formatted spec and leaves the file alone', async () => {
    write('messy.mlspec', MESSY);
    const r = await mlspec('fmt', '--stdout', 'messy.mlspec');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`# header comment\n${FORMATTED_MODEL}`)).toBe(true);
    expect(r.stderr).toBe('');
    expect(read('messy.mlspec')).toBe(MESSY);
  });

  it('refuses a file with syntax errors: prints them, leaves it byte for byte, formats the others', async () => {
    const broken = 'model {\n  input(shape: [4]\n  dense(3)\n}\n';
    write('broken.mlspec', broken);
    write('messy.mlspec', MESSY);
    const r = await mlspec('fmt', 'broken.mlspec', 'messy.mlspec');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/broken\.mlspec:\d+:\d+: error\[E\d+\]/);
    expect(r.stderr).toContain('mlspec fmt: broken.mlspec has syntax errors; it was left unchanged.');
    expect(read('broken.mlspec')).toBe(broken);
    expect(read('messy.mlspec')).not.toBe(MESSY);
    expect((await mlspec('fmt', '--check', 'broken.mlspec')).code).toBe(1);
    expect((await mlspec('fmt', '--stdout', 'broken.mlspec')).stdout).toBe('');
  });

  it('replaces a file through a temporary file: mode kept, symlink kept, no leftovers', async () => {
    write('messy.mlspec', MESSY);
    fs.chmodSync(path.join(dir, 'messy.mlspec'), 0o640);
    fs.symlinkSync('messy.mlspec', path.join(dir, 'link.mlspec'));
    const r = await mlspec('fmt', 'link.mlspec');
    expect(r.code).toBe(0);
    expect(fs.lstatSync(path.join(dir, 'link.mlspec')).isSymbolicLink()).toBe(true);
    expect(read('messy.mlspec')).not.toBe(MESSY);
    expect(fs.statSync(path.join(dir, 'messy.mlspec')).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir).sort()).toEqual(['link.mlspec', 'messy.mlspec']);
  });

  it('usage problems exit 2: a missing file, --check with --stdout, no file; --help has examples', async () => {
    write('messy.mlspec', MESSY);
    const missing = await mlspec('fmt', 'nope.mlspec', 'messy.mlspec');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('mlspec fmt: cannot read nope.mlspec (no such file).');
    expect(read('messy.mlspec')).not.toBe(MESSY); // the readable file is still formatted
    expect((await mlspec('fmt', '--check', '--stdout', 'messy.mlspec')).code).toBe(2);
    expect((await mlspec('fmt')).code).toBe(2);
    const help = await mlspec('fmt', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('$ mlspec fmt --check examples/*.mlspec');
  });
});
