/**
 * Hostile specs (test/fixtures/hostile/) cannot hijack the program `mlspec compile` writes.
 * Each fixture's first lines say what must happen:
 *
 *   # hostile: run                            compiles, type-checks, runs, trains exactly as `mlspec run`
 *   # hostile: rejected CODE LINE:COL TEXT    check reports this diagnostic (and nothing is compiled)
 *
 * Runnable fixtures are compiled with compileOutputs (into a folder: train.ts, mlspec-runtime/, the
 * data) from a spec file whose name is hostile too, type-checked together in one `tsc --strict --noEmit`, transpiled, and run with node from an
 * empty working folder with --epochs 1 --backend cpu. The run must exit 0, leave exactly the files
 * `mlspec run` leaves (and no other file anywhere in the test's folder), write back the spec
 * source byte for byte, and log the same per-step losses as `mlspec run`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileOutputs } from '../../src/emit/compile.js';
import { analyze } from '../../src/frontend.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { ROOT, scratchDir, stepLines, transpileFolder } from './emit-helpers.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'hostile');

/** The data file strings.mlspec names, and its columns: the test writes it next to the spec. */
const HOSTILE_DATA = "hostile data ${HOME} 'q' \"dq\" `bt` *.csv";
const HOSTILE_COLUMNS = ['a"b', 'c`d', '${process.exit(1)}', '*/ x \n y', 'y \u2028 line\u2029sep', 'nul\u0000z'];

/** Spec file names: they reach the program's header comment and its plan name. */
const SPEC_FILE_NAMES: Record<string, string> = {
  strings: 'spec ${process.exit(1)} "q" \'s\' `b` \\.mlspec',
  names: 'names\nnewline.mlspec',
  unicode: 'uni\u2028code\u0007.mlspec',
};

interface Expectation {
  kind: 'run' | 'rejected';
  code?: string;
  line?: number;
  column?: number;
  text?: string;
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((f) => f.endsWith('.mlspec'))
  .sort()
  .map((file) => {
    const source = fs.readFileSync(path.join(FIXTURES, file), 'utf8');
    const expectations: Expectation[] = [...source.matchAll(/^# hostile: (run|rejected)(?: ([EW]\d{4}) (\d+):(\d+) (.+))?$/gm)].map((m) =>
      m[1] === 'run' ? { kind: 'run' } : { kind: 'rejected', code: m[2], line: Number(m[3]), column: Number(m[4]), text: m[5] },
    );
    return { name: file.replace(/\.mlspec$/, ''), file, source, expectations };
  });
const runnable = fixtures.filter((f) => f.expectations.some((e) => e.kind === 'run'));
const rejected = fixtures.filter((f) => f.expectations.some((e) => e.kind === 'rejected'));

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function node(args: string[], cwd: string): Promise<Exit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Relative paths of every file under `dir`. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

let work: string;
const results = new Map<string, { specFile: string; dir: string; program: Exit; reference: Exit; tsc: Exit; before: string[] }>();
let tsc: Exit;

beforeAll(async () => {
  work = scratchDir('hostile');
  const programs: string[] = [];
  for (const fixture of runnable) {
    const dir = path.join(work, fixture.name);
    fs.mkdirSync(path.join(dir, 'cwd'), { recursive: true });
    const specFile = path.join(dir, SPEC_FILE_NAMES[fixture.name] ?? fixture.file);
    fs.writeFileSync(specFile, fixture.source);
    // A fixture's own data file (innocently named) goes next to it; strings.mlspec's is written here.
    const data = path.join(FIXTURES, `${fixture.name}.csv`);
    if (fs.existsSync(data)) fs.copyFileSync(data, path.join(dir, `${fixture.name}.csv`));
    if (fixture.name === 'strings') {
      const rows = Array.from({ length: 12 }, (_, i) => HOSTILE_COLUMNS.map((_, j) => String(((i * 7 + j * 3) % 11) / 10)).join(','));
      fs.writeFileSync(path.join(dir, HOSTILE_DATA), `${[HOSTILE_COLUMNS.map(csvField).join(','), ...rows].join('\n')}\n`);
    }
    const { ir, diagnostics } = analyze(fixture.source, specFile);
    if (!ir || diagnostics.some((d) => d.severity === 'error')) throw new Error(`${fixture.file}: ${diagnostics.map((d) => d.message).join(' ')}`);
    for (const out of compileOutputs(ir, lowerSpec(ir, fixture.source), { specPath: specFile, out: path.join(dir, 'program'), version: 'test' })) {
      fs.mkdirSync(path.dirname(out.path), { recursive: true });
      fs.writeFileSync(out.path, out.content);
    }
    programs.push(path.relative(work, path.join(dir, 'program', 'train.ts')));
    transpileFolder(path.join(dir, 'program'));
  }
  fs.writeFileSync(
    path.join(work, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', types: ['node'], skipLibCheck: true },
      files: programs,
    }),
  );
  const before = filesUnder(work);

  // One type check of every program, and every program and its `mlspec run` reference, all at once.
  const tscRun = node([path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(work, 'tsconfig.json')], work);
  const runs = runnable.map(async (fixture) => {
    const dir = path.join(work, fixture.name);
    const specFile = path.join(dir, SPEC_FILE_NAMES[fixture.name] ?? fixture.file);
    const args = ['--epochs', '1', '--backend', 'cpu'];
    const [program, reference] = await Promise.all([
      node([path.join(dir, 'program', 'train.js'), ...args, '--out', path.join(dir, 'run')], path.join(dir, 'cwd')),
      node([path.join(ROOT, 'bin', 'mlspec.js'), 'run', specFile, ...args, '--out', path.join(dir, 'reference'), '-q'], dir),
    ]);
    return { name: fixture.name, specFile, dir, program, reference };
  });
  const [tscResult, ...ran] = await Promise.all([tscRun, ...runs]);
  tsc = tscResult!;
  for (const r of ran as Awaited<(typeof runs)[number]>[]) results.set(r.name, { ...r, tsc, before });
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('hostile fixtures', () => {
  it('include runnable and rejected specs, each with an expectation', () => {
    expect(runnable.map((f) => f.name)).toEqual(expect.arrayContaining(['classes', 'strings', 'names', 'unicode']));
    expect(rejected.length).toBeGreaterThanOrEqual(3);
    for (const f of fixtures) expect(f.expectations.length, f.file).toBeGreaterThan(0);
  });

  it('every compiled program type-checks under tsc --strict', () => {
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });
});

describe.each(runnable.map((f) => f.name))('compiled hostile spec: %s', (name) => {
  const result = () => results.get(name)!;

  it('runs with exit code 0, as mlspec run does', () => {
    const { program, reference } = result();
    expect(program.code, program.stderr).toBe(0);
    // Progress goes to stderr (docs/cli.md); nothing there may be a warning or an error.
    expect(program.stderr).not.toMatch(/warning|error/i);
    expect(reference.code, reference.stderr).toBe(0);
  });

  it('leaves exactly the files mlspec run leaves, and no file anywhere else', () => {
    const { dir, before } = result();
    const run = filesUnder(path.join(dir, 'run'));
    expect(run).toEqual(filesUnder(path.join(dir, 'reference')));
    expect(run).toEqual(expect.arrayContaining(['checkpoint.bin', 'metrics.jsonl', 'spec.mlspec', 'summary.json', path.join('model', 'weights.bin')]));
    expect(fs.readdirSync(path.join(dir, 'cwd'))).toEqual([]);
    // Every program and reference ran in this folder tree: nothing but their run folders is new.
    const outputs = [...results.values()].flatMap((r) =>
      ['run', 'reference'].flatMap((sub) => filesUnder(path.join(r.dir, sub)).map((f) => path.relative(work, path.join(r.dir, sub, f)))),
    );
    expect(filesUnder(work)).toEqual([...before, ...outputs].sort());
  });

  it('writes back the spec source byte for byte', () => {
    const { dir } = result();
    const fixture = runnable.find((f) => f.name === name)!;
    expect(fs.readFileSync(path.join(dir, 'run', 'spec.mlspec'), 'utf8')).toBe(fixture.source);
  });

  it('logs the same per-step losses as mlspec run', () => {
    const { dir } = result();
    const steps = stepLines(path.join(dir, 'run'));
    expect(steps.length).toBeGreaterThan(0);
    expect(steps).toEqual(stepLines(path.join(dir, 'reference')));
  });
});

describe.each(rejected.map((f) => f.name))('rejected hostile spec: %s', (name) => {
  it('is answered with the expected diagnostics, not a crash', () => {
    const fixture = rejected.find((f) => f.name === name)!;
    const file = path.join(FIXTURES, fixture.file);
    const { diagnostics } = analyze(fixture.source, file);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    const wanted = fixture.expectations.filter((e) => e.kind === 'rejected');
    expect(errors.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}`).sort()).toEqual(wanted.map((w) => `${w.code} ${w.line}:${w.column}`).sort());
    for (const w of wanted) {
      const match = errors.find((d) => d.code === w.code && d.span.start.line === w.line);
      expect(match?.message).toContain(w.text);
    }
  });
});

describe('names that come from the data (classes.mlspec)', () => {
  it('keeps class names such as __proto__ as plain labels, and escapes them in report.html', () => {
    const { dir } = results.get('classes')!;
    const preprocessing = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'preprocessing.json'), 'utf8')) as { labels: string[]; features: string[] };
    // Class indices follow the sorted order of the names (by code unit: '<' < '_' < 'c').
    expect(preprocessing.labels).toEqual(['<script>alert(1)</script>', '__proto__', 'constructor']);
    expect(preprocessing.features).toEqual(['constructor', 'toString']);
    const report = path.join(dir, 'run', 'report.html');
    if (fs.existsSync(report)) expect(fs.readFileSync(report, 'utf8')).not.toContain('<script>alert(1)</script>');
  });
});
