/**
 * A compiled program runs where mlspec is not installed: copied into an empty folder whose
 * node_modules holds only the packages the program imports (and what they depend on).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { importedPackages } from '../../src/emit/compile.js';
import { goldenPath, ROOT, runNode, transpileProgram } from './emit-helpers.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-standalone-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

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

it('runs from a folder with only its own dependencies installed', () => {
  const program = fs.readFileSync(goldenPath('classic'), 'utf8');
  const imports = importedPackages(program);
  expect(imports).toEqual(['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
  const packages = dependencyClosure(imports);
  expect(packages).not.toContain('mlspec');
  expect(packages).not.toContain('ts-morph');
  expect(packages).not.toContain('chevrotain');
  for (const name of packages) {
    fs.cpSync(path.join(ROOT, 'node_modules', name), path.join(dir, 'node_modules', name), { recursive: true });
  }
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  fs.writeFileSync(path.join(dir, 'train.ts'), program);
  const script = transpileProgram(path.join(dir, 'train.ts'));

  const result = runNode(script, ['--epochs', '3', '--out', 'run', '--quiet'], dir);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  const lines = fs.readFileSync(path.join(dir, 'run', 'metrics.jsonl'), 'utf8').trim().split('\n');
  expect(lines.filter((l) => l.includes('"type":"step"'))).toHaveLength(3);
  for (const file of ['summary.json', 'model/model.json', 'model/weights.bin', 'preprocessing.json', 'checkpoint.bin']) {
    expect(fs.existsSync(path.join(dir, 'run', file)), file).toBe(true);
  }
});

it('asked for --backend webgpu without the webgpu packages, says what to install and exits 2', () => {
  // The folder of the test above holds only the program's own dependencies, as a user's would.
  const script = path.join(dir, 'train.mjs');
  expect(fs.existsSync(script)).toBe(true);
  expect(fs.existsSync(path.join(dir, 'node_modules', 'webgpu'))).toBe(false);
  const result = runNode(script, ['--epochs', '1', '--out', 'run-webgpu', '--backend', 'webgpu', '--quiet'], dir);
  expect(result.status).toBe(2);
  expect(result.stderr).toMatch(
    /The webgpu backend needs the npm packages webgpu and @tensorflow\/tfjs-backend-webgpu, which are not installed; install them with: npm install webgpu@0\.6\.2 @tensorflow\/tfjs-backend-webgpu@4\.22\.0/,
  );
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
});
