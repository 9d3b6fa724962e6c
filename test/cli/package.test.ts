/**
 * The npm package: its name is one no other package has (`mlspec` belongs to an unrelated one,
 * checked with `npm view mlspec` on 2026-12-03; `npm view mlspec-compiler` was a 404), it still
 * installs the `mlspec` command, --version reads the version under that name, and the README's
 * install lines use it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MLSPEC_VERSION, PACKAGE_NAME } from '../../src/version.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string; bin: Record<string, string> };

describe('the npm package', () => {
  it('is mlspec-compiler and installs the mlspec command', () => {
    expect(pkg.name).toBe('mlspec-compiler');
    expect(PACKAGE_NAME).toBe(pkg.name);
    expect(pkg.bin).toEqual({ mlspec: 'bin/mlspec.js' });
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { name: string; packages: Record<string, { name?: string }> };
    expect([lock.name, lock.packages['']?.name]).toEqual([pkg.name, pkg.name]);
  });

  it('mlspec --version prints package.json\'s version', () => {
    expect(MLSPEC_VERSION).toBe(pkg.version);
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/mlspec.js'), '--version'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('the README installs it by that name, never as `npx mlspec` outside a clone', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm install -g mlspec-compiler');
    expect(readme).toContain('npx --package mlspec-compiler mlspec');
    expect(readme).not.toMatch(/npm install (-g )?mlspec\b(?!-)/);
  });
});
