/**
 * Shared by the emitter tests: compile an example through the real front end, transpile a
 * compiled program to JavaScript, and run it with node.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { compileOutputs } from '../../src/emit/compile.js';
import { analyze } from '../../src/frontend.js';
import { lowerSpec } from '../../src/lower/lower.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'))
  .filter((f) => f.endsWith('.mlspec'))
  .map((f) => f.replace(/\.mlspec$/, ''))
  .sort();

/** The golden program of an example, as if compiled with `-o test/golden/compiled/<name>.ts`. */
export const goldenPath = (name: string): string => path.join(ROOT, 'test/golden/compiled', `${name}.ts`);

export function compileSpecFile(specFile: string, out: string): string {
  const source = fs.readFileSync(specFile, 'utf8');
  const { ir, diagnostics } = analyze(source, specFile);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ir || errors.length > 0) throw new Error(`${specFile} has errors: ${errors.map((d) => d.message).join(' ')}`);
  const files = compileOutputs(ir, lowerSpec(ir, source), { specPath: path.relative(ROOT, specFile), out, version: 'test' });
  return files[0]!.content;
}

export function compileExample(name: string, out: string): string {
  return compileSpecFile(path.join(ROOT, 'examples', `${name}.mlspec`), out);
}

/** Writes program.ts's JavaScript next to it as program.mjs (types stripped, nothing else changed). */
export function transpileProgram(tsFile: string): string {
  const js = ts.transpileModule(fs.readFileSync(tsFile, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const out = tsFile.replace(/\.ts$/, '.mjs');
  fs.writeFileSync(out, js);
  return out;
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
