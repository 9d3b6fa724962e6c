/**
 * `mlspec check` end to end, by spawning bin/mlspec.js, which runs the compiled dist/. The build
 * (`npm run build`, run by `npm test` before the tests) is redone here when dist/ is missing or
 * older than the sources, so this file also works on its own with `npx vitest run test/cli`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/cli-io.js';

const bin = 'bin/mlspec.js';
const built = 'dist/src/cli/commands/check.js';

function newestSource(folder: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

beforeAll(() => {
  const stale = !fs.existsSync(built) || fs.statSync(built).mtimeMs < Math.max(newestSource('src'), newestSource('grammar'));
  if (stale) {
    try {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { stdio: 'pipe' });
    } catch {
      // tsc still emits when some file has type errors; the tests below show whether dist works.
    }
  }
}, 180_000);

function mlspec(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const ansi = /\x1b\[/;
const iris = 'examples/iris.mlspec';
const invalid = 'test/fixtures/invalid/class-count.mlspec';

describe('mlspec check', () => {
  test('a clean spec: exit 0, nothing on stdout, a one-line tally on stderr', () => {
    const r = mlspec(['check', iris]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'Checked 1 file: no problems.\n' });
  });

  test('a spec with errors: exit 1, each diagnostic with file, position, code and excerpt; no colours off a terminal', () => {
    const r = mlspec(['check', invalid]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${invalid}:5:9: error[E0601]: The output 'dense_1' has 4 units but the data has 3 classes`);
    expect(r.stderr).toContain('5 |   dense(4, activation: softmax)');
    expect(r.stderr).toMatch(/Checked 1 file: 1 error\.\n$/);
    expect(r.stderr).not.toMatch(ansi);
  });

  test('--format json prints the diagnostics of every file as one array on stdout', () => {
    const second = 'test/fixtures/invalid/unused-node.mlspec';
    const r = mlspec(['check', '--format', 'json', invalid, second, iris]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    const items = JSON.parse(r.stdout) as Array<{ file: string; line: number; column: number; code: string; severity: string }>;
    const expected = [invalid, second, iris].flatMap((file) =>
      analyze(fs.readFileSync(file, 'utf8'), file).diagnostics.map((d) => ({ file, line: d.span.start.line, column: d.span.start.column, code: d.code, severity: d.severity })),
    );
    expect(items.map(({ file, line, column, code, severity }) => ({ file, line, column, code, severity }))).toEqual(expected);
    expect(expected.map((d) => d.code)).toEqual(['E0601', 'W0201']);
  });



  test('an unreadable file: exit 2 and a message naming it; the other files are still checked', () => {
    const r = mlspec(['check', 'no/such/file.mlspec', iris]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mlspec check: cannot read no/such/file.mlspec (no such file).\n');
    expect(r.stderr).toContain('Checked 1 file: no problems.');
  });

});

describe('mlspec usage', () => {
  test('unknown command and unknown option: one line on stderr, exit 2', () => {
    for (const args of [['chek', iris], ['check', '--fromat', 'json', iris]]) {
      const r = mlspec(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^mlspec: unknown (command|option) .*Did you mean (check|--format)\?\)\n$/);
    }
  });

  test('no command: the help on stderr, exit 2', () => {
    const r = mlspec([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: mlspec');
  });

  test('--version prints the version of package.json', () => {
    const version = (JSON.parse(fs.readFileSync('package.json', 'utf8')) as { version: string }).version;
    expect(mlspec(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  test('--help of every command shows an example', async () => {
    const { commands } = await import('../../src/cli/main.js');
    for (const name of commands.map((c) => c.name)) {
      const out: string[] = [];
      const io: CliIO = { stdout: (t) => out.push(t), stderr: () => {}, color: false, interactive: false, cwd: process.cwd() };
      expect(await main([name, '--help'], io), name).toBe(0);
      expect(out.join(''), name).toContain(`$ mlspec ${name}`);
    }
  });

  test('check does not load TensorFlow.js; run does (the probe can tell)', () => {
    const probe = (command: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
           const { main } = await import('./dist/src/cli/main.js');
           const quiet = { stdout() {}, stderr() {}, color: false, interactive: false, cwd: process.cwd() };
           await main(${JSON.stringify(command)}.split(' '), quiet);
           const loaded = Object.keys(createRequire(import.meta.url).cache).some((file) => file.includes('@tensorflow'));
           process.stdout.write(String(loaded));`,
        ],
        { encoding: 'utf8' },
      );
    expect(probe(`check ${iris}`)).toBe('false');
    expect(probe('run --help')).toBe('true');
  });
});

describe('mlspec check in-process (main() with a captured io)', () => {
  async function check(args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), color: false, interactive: false, cwd: process.cwd() };
    const code = await main(['check', ...args], io);
    return { code, stdout: out.join(''), stderr: err.join('') };
  }

  test('warnings alone exit 0', async () => {
    const r = await check(['test/fixtures/invalid/unused-node.mlspec']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('warning[W0201]');
    expect(r.stderr).toMatch(/Checked 1 file: 1 warning\.\n$/);
  });

  test('--summary prints the model on stdout', async () => {
    const r = await check(['--summary', iris]);
    expect(r.code).toBe(0);
    // 4 -> 16 -> 3: (4 * 16 + 16) + (16 * 3 + 3) = 131.
    expect(r.stdout).toMatch(/^dense_1 \(dense\)\s+\[16\]\s+80\s+input_1$/m);
    expect(r.stdout).toContain('Total params: 131');
  });

  test('--max-params: a limit below the model size is an error; a malformed limit is a usage error', async () => {
    const small = await check(['--max-params', '100', iris]);
    expect(small.code).toBe(1);
    expect(small.stderr).toContain('error[E0304]: The model has 131 parameters, more than the limit of 100');
    const bad = await check(['--max-params', 'lots', iris]);
    expect(bad).toEqual({ code: 2, stdout: '', stderr: "mlspec check: --max-params takes a whole number of parameters, not 'lots'.\n" });
  });

  test('a bad --format, or --summary with json, is a usage error', async () => {
    expect(await check(['--format', 'xml', iris])).toEqual({ code: 2, stdout: '', stderr: "mlspec check: --format must be text or json, not 'xml'.\n" });
    expect((await check(['--format', 'json', '--summary', iris])).code).toBe(2);
  });

  test('several files: one tally, the worst exit code', async () => {
    const r = await check([iris, invalid, 'test/fixtures/invalid/unused-node.mlspec']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Checked 3 files: 1 error, 1 warning\.\n$/);
  });
});

describe('main() in-process', () => {
  function capture(color: boolean): { io: CliIO; out: string[]; err: string[] } {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), color, interactive: false, cwd: process.cwd() }, out, err };
  }

  test('colours only when the io asks for them', async () => {
    const plain = capture(false);
    expect(await main(['check', invalid], plain.io)).toBe(1);
    expect(plain.err.join('')).not.toMatch(ansi);
    const coloured = capture(true);
    expect(await main(['check', invalid], coloured.io)).toBe(1);
    expect(coloured.err.join('')).toMatch(ansi);
  });

  test('returns the exit code instead of exiting', async () => {
    const c = capture(false);
    expect(await main(['check', iris], c.io)).toBe(0);
    expect(await main(['nope'], c.io)).toBe(2);
    expect(await main(['check', '--help'], c.io)).toBe(0);
  });
});

describe('start-up', () => {
  test("the grammar loads chevrotain's single-file bundle, not its many-module entry", async () => {
    const grammar = fs.readFileSync('grammar/chevrotain.ts', 'utf8');
    expect(grammar).toContain("'chevrotain.mjs'");
    const chevrotain = await import('../../grammar/chevrotain.js');
    expect(typeof chevrotain.CstParser).toBe('function');
    expect(typeof chevrotain.createToken).toBe('function');
  });
});

describe('counts in messages', () => {
  test('"1 unit", not "1 units": an output of one unit for three classes', () => {
    const source = fs.readFileSync('examples/iris.mlspec', 'utf8').replace(/dense\(3[^)]*\)/, 'dense(1)');
    expect(source).toContain('dense(1)');
    const file = path.resolve('examples/one-unit.mlspec');
    const messages = analyze(source, file).diagnostics.filter((d) => d.code === 'E0601').map((d) => d.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/has 1 unit but the data has 3 classes/);
  });
});
