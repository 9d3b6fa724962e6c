/**
 * Shared by the emitter tests: compile an example through the real front end into a folder,
 * transpile a compiled folder's TypeScript to JavaScript in place (as its `tsc` would), and run it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compileOutputs, type OutputFile } from '../../src/emit/compile.js';
import { analyze } from '../../src/frontend.js';
import { lowerSpec } from '../../src/lower/lower.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mlspec'))
  .map((f) => f.replace(/\.mlspec$/, ''))
  .sort();

/** The golden folder of an example: its train.ts, package.json, tsconfig.json and README.md (not the runtime copy). */
export const goldenDir = (name: string): string => path.join(ROOT, 'test/golden/compiled', name);

/** The files a spec compiles to with `-o out` (out a folder, or a .ts file). */
export function compileSpecFiles(specFile: string, out: string, specPath = path.relative(ROOT, specFile)): OutputFile[] {
  const source = fs.readFileSync(specFile, 'utf8');
  const { ir, diagnostics } = analyze(source, specFile);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ir || errors.length > 0) throw new Error(`${specFile} has errors: ${errors.map((d) => d.message).join(' ')}`);
  return compileOutputs(ir, lowerSpec(ir, source), { specPath, out, version: 'test' });
}

export function exampleSpec(name: string): string {
  return path.join(ROOT, 'examples', `${name}.mlspec`);
}

/** Writes a compiled example into `dir` (a folder); returns the files written. */
export function writeCompiled(files: OutputFile[]): void {
  for (const f of files) {
    fs.mkdirSync(path.dirname(f.path), { recursive: true });
    fs.writeFileSync(f.path, f.content);
  }
}

export function compileExampleTo(name: string, dir: string): string {
  writeCompiled(compileSpecFiles(exampleSpec(name), dir));
  return path.join(dir, 'train.ts');
}

/** Every .ts file under `dir` transpiled to .js next to it (types stripped, nothing else changed), as the program's tsc writes them. */
export function transpileFolder(dir: string): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.parentPath.includes('node_modules')) continue;
    const file = path.join(entry.parentPath, entry.name);
    const js = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    }).outputText;
    fs.writeFileSync(file.replace(/\.ts$/, '.js'), js);
  }
}

export function runNode(script: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [script, ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder inside the repository (so node_modules resolves), removed by the caller. */
export function scratchDir(label: string): string {
  const base = path.join(ROOT, '.scratch');
  fs.mkdirSync(base, { recursive: true });
  return fs.mkdtempSync(path.join(base, `${label}-`));
}

/** The step lines of a metrics.jsonl (what must be bit-identical between run and compile). */
export function stepLines(runDir: string): string[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"step"'));
}
