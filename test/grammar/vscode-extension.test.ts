/**
 * The VS Code extension in grammar/vscode/: its manifest, how it finds the language server, and
 * that it bundles and packages with `vsce package` without warnings.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const extensionDir = join(root, 'grammar/vscode');
const require = createRequire(import.meta.url);
const { serverCommand, splitCommandLine } = require(join(extensionDir, 'server-command.js')) as {
  serverCommand: (setting: unknown, folders: string[], exists?: (file: string) => boolean, platform?: string) => { command: string; args: string[] };
  splitCommandLine: (text: string) => string[];
};

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

describe('VS Code extension manifest', () => {
  const manifest = readJson(join(extensionDir, 'package.json'));

  it('ships an exact copy of the TextMate grammar', () => {
    // After editing grammar/mlspec.tmLanguage.json: cp grammar/mlspec.tmLanguage.json grammar/vscode/syntaxes/
    const grammarPath = manifest['contributes'].grammars[0].path as string;
    expect(readFileSync(join(extensionDir, grammarPath), 'utf8')).toBe(readFileSync(join(root, 'grammar/mlspec.tmLanguage.json'), 'utf8'));
  });

  it('contributes the mlspec language, the mlspec.path setting and format on save', () => {
    const [language] = manifest['contributes'].languages;
    expect(language.id).toBe('mlspec');
    expect(language.extensions).toEqual(['.mlspec']);
    expect(existsSync(join(extensionDir, language.configuration))).toBe(true);
    expect(manifest['contributes'].grammars[0]).toMatchObject({ language: 'mlspec', scopeName: 'source.mlspec' });
    expect(manifest['main']).toBe('./out/extension.js');
    expect(manifest['contributes'].configuration.properties['mlspec.path'].default).toBe('');
    expect(manifest['contributes'].configurationDefaults['[mlspec]']['editor.formatOnSave']).toBe(true);
    expect(manifest['license']).toBe('MIT');
    expect(existsSync(join(extensionDir, 'LICENSE'))).toBe(true);
  });

  it('has a language configuration with comments and brackets', () => {
    const config = readJson(join(extensionDir, 'language-configuration.json'));
    expect(config['comments'].lineComment).toBe('#');
    expect(config['brackets']).toEqual([
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]);
  });
});

describe('serverCommand', () => {
  it('uses the setting, with its arguments, and appends lsp --stdio', () => {
    expect(serverCommand('node "/opt/my tools/mlspec.js"', [])).toEqual({ command: 'node', args: ['/opt/my tools/mlspec.js', 'lsp', '--stdio'] });
    expect(serverCommand('  mlspec  ', [])).toEqual({ command: 'mlspec', args: ['lsp', '--stdio'] });
    expect(splitCommandLine(`npx 'mlspec-compiler' x`)).toEqual(['npx', 'mlspec-compiler', 'x']);
  });

  it('without a setting prefers the workspace node_modules, then PATH', () => {
    const local = '/work/proj/node_modules/.bin/mlspec';
    expect(serverCommand('', ['/work/other', '/work/proj'], (f) => f === local, 'linux')).toEqual({ command: local, args: ['lsp', '--stdio'] });
    expect(serverCommand(undefined, ['/work/proj'], () => false, 'linux')).toEqual({ command: 'mlspec', args: ['lsp', '--stdio'] });
    expect(serverCommand('', ['C:\\proj'], (f) => f.endsWith('mlspec.cmd'), 'win32').command).toMatch(/mlspec\.cmd$/);
  });
});

describe('packaging', () => {
  const out = mkdtempSync(join(tmpdir(), 'mlspec-vsix-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles the extension with the language client and packages it with vsce without warnings', () => {
    const bundle = spawnSync(process.execPath, [join(extensionDir, 'build.mjs')], { encoding: 'utf8' });
    expect(bundle.status, bundle.stderr).toBe(0);
    const built = readFileSync(join(extensionDir, 'out/extension.js'), 'utf8');
    expect(built).toContain('require("vscode")');
    expect(built).toContain('lsp');
    const vsix = join(out, 'mlspec.vsix');
    const vsce = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'package', '--allow-missing-repository', '--out', vsix], {
      cwd: extensionDir,
      encoding: 'utf8',
    });
    const output = `${vsce.stdout}${vsce.stderr}`;
    expect(vsce.status, output).toBe(0);
    expect(output).not.toMatch(/WARNING/);
    expect(existsSync(vsix)).toBe(true);
    const listed = spawnSync(process.execPath, [join(root, 'node_modules/@vscode/vsce/vsce'), 'ls'], { cwd: extensionDir, encoding: 'utf8' });
    expect(listed.stdout.trim().split('\n').sort()).toEqual(
      ['LICENSE', 'README.md', 'language-configuration.json', 'out/extension.js', 'package.json', 'syntaxes/mlspec.tmLanguage.json'].sort(),
    );
  }, 120_000);
});
