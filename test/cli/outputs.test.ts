/**
 * Outputs are never lost by accident: `mlspec run` does not write over an earlier run's files
 * without --force, reports an output folder it cannot write before it trains anything, and
 * `mlspec compile` does not overwrite a program without --force. The commands run in-process
 * through main() with a captured CliIO.
 *
 * Unwritable folders: the tests run as root, for whom permission bits (chmod 0o500) stop
 * nothing, so the unwritable folder is one below a regular file (`FILE/sub`): mkdir fails with
 * ENOTDIR for every user, root included.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.js';
import { main } from '../../src/cli/main.js';

const SPEC = `model {
  input(shape: [3])
  dense(2, activation: relu)
  dense(1)
}
data { source: random(samples: 12, features: 3) }
loss: mse
optimizer: sgd(lr: 0.01)
train { epochs: 2, batch: 4, seed: 5 }
`;

let tmp: string;
let spec: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-outputs-'));
  spec = path.join(tmp, 'tiny.mlspec');
  fs.writeFileSync(spec, SPEC);
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function mlspec(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, interactive: false, cwd: tmp };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** Every file under `dir` with its bytes, so that "nothing changed" can be compared. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), fs.readFileSync(file).toString('base64'));
  }
  return files;
}

describe('mlspec run and an existing output folder', () => {
  it('refuses to write over an earlier run without --force, and changes none of its files', async () => {
    const out = path.join(tmp, 'earlier');
    const first = await mlspec('run', spec, '--backend', 'cpu', '--out', out, '-q');
    expect(first.code, first.stderr).toBe(0);
    const before = snapshot(out);
    expect([...before.keys()]).toEqual(expect.arrayContaining(['metrics.jsonl', 'summary.json', 'checkpoint.bin', 'spec.mlspec', path.join('model', 'weights.bin')]));

    const second = await mlspec('run', spec, '--backend', 'cpu', '--out', out, '--seed', '6');
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`The output folder ${out} already holds files of an earlier run`);
    expect(second.stderr).toMatch(/--force/);
    expect(second.stdout).not.toMatch(/epoch \d/);
    expect(snapshot(out)).toEqual(before);
  });

  it('writes over it with --force: the new run replaces the old one, its checkpoint included', async () => {
    const out = path.join(tmp, 'forced');
    expect((await mlspec('run', spec, '--backend', 'cpu', '--out', out, '-q')).code).toBe(0);
    const forced = await mlspec('run', spec, '--backend', 'cpu', '--out', out, '--seed', '6', '--epochs', '1', '-q', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { seed: number; epochs_run: number };
    expect(summary).toMatchObject({ seed: 6, epochs_run: 1 });
    // The checkpoint is the new run's: resuming it with the new seed is accepted and trains nothing more.
    const resumed = await mlspec('run', spec, '--backend', 'cpu', '--resume', out, '--seed', '6', '--epochs', '1', '-q');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"type":"epoch"'))).toHaveLength(1);
  });

  it('uses an existing empty folder', async () => {
    const out = path.join(tmp, 'empty');
    fs.mkdirSync(out);
    expect((await mlspec('run', spec, '--backend', 'cpu', '--out', out, '-q')).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
  });
});

describe('mlspec run and an output folder it cannot write', () => {
  it('a folder under a regular file: reported before training, with the reason, exit 1', async () => {
    const blocker = path.join(tmp, 'a-file');
    fs.writeFileSync(blocker, 'not a folder');
    const out = path.join(blocker, 'sub');
    const result = await mlspec('run', spec, '--backend', 'cpu', '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`mlspec: error: The output folder ${out} cannot be written (ENOTDIR); choose another with --out.\n`);
    expect(result.stdout).toBe('');
    expect(fs.readFileSync(blocker, 'utf8')).toBe('not a folder');
  });

  it('a path that is a file: reported before training', async () => {
    const file = path.join(tmp, 'b-file');
    fs.writeFileSync(file, 'keep me');
    const result = await mlspec('run', spec, '--backend', 'cpu', '--out', file);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The output path ${file} is a file, not a folder`);
    expect(result.stdout).toBe('');
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  });

  it('--resume of a folder without a checkpoint: reported before training, suggesting --force', async () => {
    const out = path.join(tmp, 'no-checkpoint');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'metrics.jsonl'), '');
    const result = await mlspec('run', spec, '--backend', 'cpu', '--resume', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`There is no checkpoint to resume in ${out}`);
    expect(result.stderr).toContain('--force');
    expect(result.stdout).toBe('');
  });

  it('--resume of a damaged checkpoint: one sentence, not an internal error', async () => {
    const out = path.join(tmp, 'damaged');
    expect((await mlspec('run', spec, '--backend', 'cpu', '--out', out, '-q')).code).toBe(0);
    const checkpoint = path.join(out, 'checkpoint.bin');
    fs.writeFileSync(checkpoint, fs.readFileSync(checkpoint).subarray(0, 40));
    const result = await mlspec('run', spec, '--backend', 'cpu', '--resume', out, '-q');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mlspec: error: checkpoint\.bin is damaged: its header length \(\d+ bytes\) does not fit in the file's 40 bytes; resume from an earlier copy or start again\.\n$/);
    expect(result.stderr).not.toContain('internal error');
  });
});

describe('mlspec compile and existing files', () => {
  it('refuses to overwrite a program without --force, and overwrites it with --force', async () => {
    const program = path.join(tmp, 'train.ts');
    fs.writeFileSync(program, '// my own edits\n');
    const refused = await mlspec('compile', spec, '-o', program);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('mlspec compile: train.ts already exists; pass --force to overwrite it or choose another -o.\n');
    expect(fs.readFileSync(program, 'utf8')).toBe('// my own edits\n');

    const forced = await mlspec('compile', spec, '-o', program, '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(fs.readFileSync(program, 'utf8')).toMatch(/^\/\/ Generated by mlspec /);
  });

  it('into a folder: an existing package.json alone is enough to refuse, and nothing is written', async () => {
    const dir = path.join(tmp, 'program');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"mine"}\n');
    const refused = await mlspec('compile', spec, '-o', dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${path.join('program', 'package.json')} already exists`);
    expect(fs.readdirSync(dir)).toEqual(['package.json']);
    expect(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('{"name":"mine"}\n');
  });

  it('a single file beside a package.json that is not mlspec\'s: refused even with --force, and nothing is written', async () => {
    const dir = path.join(tmp, 'mine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"mine"}\n');
    const refused = await mlspec('compile', spec, '-o', path.join(dir, 'train.ts'), '--force');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`mlspec compile: ${path.join('mine', 'package.json')} already exists and is not mlspec's to overwrite; compile into a folder of its own with -o DIR/.\n`);
    expect(fs.readdirSync(dir)).toEqual(['package.json']);
  });

  it('by default writes the folder <name>/, and compiling the same spec again changes nothing and needs no --force', async () => {
    const first = await mlspec('compile', spec);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/run it with: cd tiny && npm install && npm run train\n$/);
    const before = snapshot(path.join(tmp, 'tiny'));
    expect([...before.keys()]).toEqual(expect.arrayContaining(['train.ts', 'package.json', 'tsconfig.json', 'README.md', path.join('mlspec-runtime', 'index.ts')]));
    const again = await mlspec('compile', spec);
    expect(again.code, again.stderr).toBe(0);
    expect(snapshot(path.join(tmp, 'tiny'))).toEqual(before);
  });

  it('-o FILE with an extension other than .ts or .mts: one sentence, exit 2, nothing written; FILE.js/ is a folder', async () => {
    for (const [out, extension] of [['prog.js', '.js'], [path.join('sub', 'prog.py'), '.py']] as const) {
      const refused = await mlspec('compile', spec, '-o', out);
      expect(refused.code).toBe(2);
      const stem = out.slice(0, -extension.length);
      expect(refused.stderr).toBe(`mlspec compile: -o ${out} names a ${extension} file, but the program is TypeScript: give -o ${stem}.ts or -o ${stem}.mts for one file, or -o ${out}/ for a folder of that name.\n`);
      expect(fs.existsSync(path.join(tmp, out))).toBe(false);
    }
    expect(fs.existsSync(path.join(tmp, 'sub'))).toBe(false);
    const folder = await mlspec('compile', spec, '-o', 'prog.js/');
    expect(folder.code, folder.stderr).toBe(0);
    expect(fs.existsSync(path.join(tmp, 'prog.js', 'train.ts'))).toBe(true);
  });

  it('an output path under a regular file: a one-line error, exit 1', async () => {
    const blocker = path.join(tmp, 'c-file');
    fs.writeFileSync(blocker, '');
    const result = await mlspec('compile', spec, '-o', path.join(blocker, 'train.ts'));
    expect(result.code).toBe(1);
    // mkdir of an existing file's path fails with EEXIST (ENOTDIR one level deeper): one reason in words.
    expect(result.stderr).toMatch(/^mlspec compile: cannot write .*c-file\/train\.ts \(a part of the path is a file, not a folder\)\.\n$/);
  });

  it('an output path two levels under a regular file: the same reason', async () => {
    const blocker = path.join(tmp, 'd-file');
    fs.writeFileSync(blocker, '');
    const result = await mlspec('compile', spec, '-o', path.join(blocker, 'sub', 'train.ts'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('(a part of the path is a file, not a folder).');
    expect(fs.readFileSync(blocker, 'utf8')).toBe('');
  });
});
