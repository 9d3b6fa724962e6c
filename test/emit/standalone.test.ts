/**
 * A compiled program runs where mlspec is not installed, by exactly the command its header gives:
 * in a folder whose node_modules holds only the packages its package.json lists (and what they
 * depend on), as `npm install` would leave it. The folder form is moved, with its data, before it
 * runs; the single-file forms (.ts and .mts) run from the folder they were written into.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importedPackages, runtimeFiles } from '../../src/emit/runtime-files.js';
import { compileSpecFiles, exampleSpec, ROOT, runNode, stepLines, writeCompiled } from './emit-helpers.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-standalone-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

/** The packages needed to run `roots`, following dependencies through mlspec's node_modules. */
function dependencyClosure(roots: string[]): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    const manifest = path.join(ROOT, 'node_modules', name, 'package.json');
    if (!fs.existsSync(manifest)) return; // an optional dependency that is not installed
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { dependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep);
  };
  roots.forEach(visit);
  return [...seen].sort();
}

/** "Installs" a package.json's dependencies into base/node_modules (programs live below base). */
function installFor(packageJson: string): void {
  const pkg = JSON.parse(packageJson) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  for (const name of dependencyClosure([...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)])) {
    const target = path.join(base, 'node_modules', name);
    if (!fs.existsSync(target)) fs.cpSync(path.join(ROOT, 'node_modules', name), target, { recursive: true });
  }
}

/** The header's run command, e.g. `npm install && npm run train --`. */
function headerCommand(program: string): string {
  const line = program.split('\n').find((l) => l.startsWith('// Run it: '));
  expect(line, 'the header says how to run the program').toBeDefined();
  return line!.slice('// Run it: '.length).replace(/ \[.*$/, '');
}

/** Runs the header's command, without its `npm install` (done by installFor), with `args` appended. */
function runAsHeaderSays(program: string, cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const command = headerCommand(program);
  expect(command).toBe('npm install && npm run train --');
  const result = spawnSync('npm', ['run', 'train', '--', ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the folder form (iris, with its data)', () => {
  const written = path.join(base, 'written', 'iris');
  const moved = path.join(base, 'elsewhere', 'my iris');
  let program = '';

  beforeAll(() => {
    const files = compileSpecFiles(exampleSpec('iris'), written);
    writeCompiled(files);
    program = String(files[0]!.content);
    installFor(fs.readFileSync(path.join(written, 'package.json'), 'utf8'));
    fs.mkdirSync(path.dirname(moved), { recursive: true });
    fs.renameSync(written, moved);
  });

  it('lists every package its program and runtime import, at exact versions', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(moved, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const imported = new Set([program, ...runtimeFiles().map((f) => fs.readFileSync(path.join(ROOT, 'src/runtime', f), 'utf8'))].flatMap(importedPackages));
    expect([...imported].sort()).toEqual(Object.keys(pkg.dependencies).sort());
    for (const version of Object.values(pkg.dependencies)) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    const closure = dependencyClosure(Object.keys(pkg.dependencies));
    for (const internal of ['mlspec-compiler', 'ts-morph', 'chevrotain', 'commander']) expect(closure).not.toContain(internal);
  });

  it('runs by the command in its header after being moved with its data', () => {
    expect(fs.existsSync(path.join(moved, 'data', 'iris.csv'))).toBe(true);
    const result = runAsHeaderSays(program, moved, ['--epochs', '2', '--backend', 'cpu', '--out', 'run', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(stepLines(path.join(moved, 'run'))).toHaveLength(2 * 7);
    for (const file of ['summary.json', 'model/model.json', 'model/weights.bin', 'preprocessing.json', 'checkpoint.bin', 'report.html']) {
      expect(fs.existsSync(path.join(moved, 'run', file)), file).toBe(true);
    }
  });

  it('trains on another file with --data, resolved against the working folder', () => {
    fs.copyFileSync(path.join(moved, 'data', 'iris.csv'), path.join(base, 'other.csv'));
    fs.rmSync(path.join(moved, 'data'), { recursive: true });
    const result = runNode(path.join(moved, 'train.js'), ['--epochs', '1', '--backend', 'cpu', '--out', path.join(moved, 'run-data'), '--quiet', '--data', 'other.csv'], base);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const split = fs.readFileSync(path.join(moved, 'run-data', 'split.json'), 'utf8');
    expect(split).toContain('other.csv');
  });

  it('explains its options with --help, and a wrong one in one sentence with exit 2', () => {
    const help = runNode(path.join(moved, 'train.js'), ['--help'], moved);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Trains iris \(a TensorFlow\.js program written by mlspec compile\)\./);
    expect(help.stdout).toContain('--data PATH');
    const wrong = runNode(path.join(moved, 'train.js'), ['--epochs', 'many'], moved);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.split('\n')[0]).toBe("iris: --epochs takes a whole number, not 'many'.");
  });

  it('asked for --backend webgpu without the webgpu packages, says what to install and exits 2', () => {
    expect(fs.existsSync(path.join(base, 'node_modules', 'webgpu'))).toBe(false);
    const result = runNode(path.join(moved, 'train.js'), ['--epochs', '1', '--out', 'run-webgpu', '--backend', 'webgpu', '--quiet'], moved);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /The webgpu backend needs the npm packages webgpu and @tensorflow\/tfjs-backend-webgpu, which are not installed; install them with: npm install webgpu@0\.6\.2 @tensorflow\/tfjs-backend-webgpu@4\.22\.0/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('the single-file form (classic)', () => {
  it('writes the runtime and package.json beside it, and runs by the command in its header', () => {
    const dir = path.join(base, 'single');
    const files = compileSpecFiles(exampleSpec('classic'), path.join(dir, 'classic.ts'));
    writeCompiled(files);
    expect(fs.readdirSync(dir).sort()).toEqual(['classic.ts', 'mlspec-runtime', 'package.json', 'tsconfig.json']);
    installFor(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const result = runAsHeaderSays(String(files[0]!.content), dir, ['--epochs', '3', '--out', 'run', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(stepLines(path.join(dir, 'run'))).toHaveLength(3);
  });
});

describe('the single-file form as an ES module file (classic, .mts)', () => {
  it('writes the runtime and package.json beside it, and runs by the command in its header', () => {
    const dir = path.join(base, 'single-mts');
    const files = compileSpecFiles(exampleSpec('classic'), path.join(dir, 'classic.mts'));
    writeCompiled(files);
    expect(fs.readdirSync(dir).sort()).toEqual(['classic.mts', 'mlspec-runtime', 'package.json', 'tsconfig.json']);
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { train: string } };
    expect(pkg.scripts.train).toBe('tsc -p tsconfig.json && node classic.mjs');
    installFor(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const result = runAsHeaderSays(String(files[0]!.content), dir, ['--epochs', '3', '--out', 'run', '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'classic.mjs'))).toBe(true);
    expect(stepLines(path.join(dir, 'run'))).toHaveLength(3);
    // The run names the .mts file it ran (not the .mjs tsc wrote) and knows it was not edited.
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'run', 'summary.json'), 'utf8')) as { edited: string[]; program: { sha256: string } };
    expect(summary.program.sha256).toBe(createHash('sha256').update(fs.readFileSync(path.join(dir, 'classic.mts'))).digest('hex'));
    expect(summary.edited).toEqual([]);
  });
});
