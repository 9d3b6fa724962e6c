/**
 * The runtime a compiled program imports: every file of src/runtime (mlspec's one implementation
 * of the training semantics), copied byte for byte into the program's mlspec-runtime/ folder,
 * and the npm packages those files import, at mlspec's own pinned versions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const RUNTIME_FOLDER = 'mlspec-runtime';

/** mlspec's package root: the first folder above this file holding mlspec's package.json (works from src/ and dist/src/). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'mlspec-compiler') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('mlspec compile cannot find its own package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export function runtimeSourceDir(): string {
  return path.join(packageRoot(), 'src', 'runtime');
}

/** Every runtime source file, relative to src/runtime, in a stable order. */
export function runtimeFiles(dir = runtimeSourceDir()): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

/** The bare package names a TypeScript file imports statically (`csv-parse/sync` -> `csv-parse`); node: and relative imports left out. */
export function importedPackages(text: string): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)';|^\s*import\s+'([^']+)';/gm)) {
    const spec = match[1] ?? match[2]!;
    if (spec.startsWith('node:') || spec.startsWith('.')) continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!);
  }
  return [...names].sort();
}

/** mlspec's own version of a package (dependencies, else devDependencies), without a range operator. */
export function pinnedVersion(name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const version = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (version === undefined) throw new Error(`The mlspec runtime imports ${name}, which mlspec's package.json does not list; add it there with an exact version.`);
  return version.replace(/^[\^~=]/, '');
}
