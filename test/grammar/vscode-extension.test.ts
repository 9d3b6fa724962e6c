import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnosticsToJson } from '../../src/diagnostics/format.js';
import { parse } from '../../src/syntax/parse.js';

const root = join(import.meta.dirname, '../..');
const extensionDir = join(root, 'grammar/vscode');
const require = createRequire(import.meta.url);

interface EditorDiagnostic {
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  message: string;
  code: string | undefined;
}
const { toEditorDiagnostic, diagnosticsByFile } = require(join(extensionDir, 'diagnostics.js')) as {
  toEditorDiagnostic: (item: unknown) => EditorDiagnostic;
  diagnosticsByFile: (stdout: string, cwd: string) => Map<string, EditorDiagnostic[]>;
};

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>;

describe('VS Code extension manifest', () => {
  const manifest = readJson(join(extensionDir, 'package.json'));

  it('ships an exact copy of the TextMate grammar', () => {
    // After editing grammar/mlspec.tmLanguage.json: cp grammar/mlspec.tmLanguage.json grammar/vscode/syntaxes/
    const grammarPath = manifest['contributes'].grammars[0].path as string;
    expect(readFileSync(join(extensionDir, grammarPath), 'utf8')).toBe(readFileSync(join(root, 'grammar/mlspec.tmLanguage.json'), 'utf8'));
  });

  it('contributes the mlspec language for .mlspec files with its grammar and configuration', () => {
    const [language] = manifest['contributes'].languages;
    expect(language.id).toBe('mlspec');
    expect(language.extensions).toEqual(['.mlspec']);
    expect(existsSync(join(extensionDir, language.configuration))).toBe(true);
    const [grammar] = manifest['contributes'].grammars;
    expect(grammar).toMatchObject({ language: 'mlspec', scopeName: 'source.mlspec' });
    expect(existsSync(join(extensionDir, manifest['main']))).toBe(true);
    expect(manifest['contributes'].configuration.properties['mlspec.path'].default).toBe('mlspec');
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

describe('toEditorDiagnostic', () => {
  it('turns 1-based line/column into 0-based positions and keeps severity, code and message', () => {
    const item = { file: 'a.mlspec', line: 3, column: 5, endLine: 3, endColumn: 9, severity: 'warning', code: 'W0101', message: 'Odd.', notes: [] };
    expect(toEditorDiagnostic(item)).toEqual({
      range: { start: { line: 2, character: 4 }, end: { line: 2, character: 8 } },
      severity: 'warning',
      message: 'Odd.',
      code: 'W0101',
    });
  });

  it('maps related places (where an unclosed brace meets the end of the file) to 0-based ranges', () => {
    const item = { line: 1, column: 7, endLine: 1, endColumn: 8, severity: 'error', code: 'E0005', message: 'Open.', notes: [], related: [{ line: 9, column: 1, endLine: 9, endColumn: 1, message: 'the file ends here' }] };
    expect(toEditorDiagnostic(item)).toMatchObject({ related: [{ message: 'the file ends here', range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } } }] });
    expect(toEditorDiagnostic({ ...item, related: [] })).not.toHaveProperty('related');
  });

  it('maps info to information, appends notes, and repairs ranges that end before they start', () => {
    const result = toEditorDiagnostic({ line: 2, column: 7, endLine: 1, endColumn: 1, severity: 'info', code: 'I1', message: 'Hm.', notes: ['try x'] });
    expect(result.severity).toBe('information');
    expect(result.message).toBe('Hm.\nnote: try x');
    expect(result.range).toEqual({ start: { line: 1, character: 6 }, end: { line: 1, character: 6 } });
    expect(toEditorDiagnostic({ line: 1, column: 1, severity: 'fatal', message: 'X.' }).severity).toBe('error');
  });

  it('maps what diagnosticsToJson prints for a real parse error', () => {
    const source = 'a: 1\nloss 64\n';
    const json = diagnosticsToJson(parse(source, '/specs/x.mlspec').diagnostics);
    const byFile = diagnosticsByFile(json, '/elsewhere');
    const [d] = byFile.get('/specs/x.mlspec')!;
    // '64' is on line 2 (index 1), columns 6-7 (characters 5 to 7, end exclusive).
    expect(d!.range).toEqual({ start: { line: 1, character: 5 }, end: { line: 1, character: 7 } });
    expect(d!.code).toBe('E0004');
    expect(d!.severity).toBe('error');
  });
});

describe('diagnosticsByFile', () => {
  it('groups by absolute path, resolving relative paths against the working directory', () => {
    const stdout = JSON.stringify([
      { file: 'a.mlspec', line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', code: 'E1', message: 'One.', notes: [] },
      { file: '/abs/b.mlspec', line: 1, column: 1, endLine: 1, endColumn: 2, severity: 'error', code: 'E2', message: 'Two.', notes: [] },
      { file: 'a.mlspec', line: 2, column: 1, endLine: 2, endColumn: 2, severity: 'error', code: 'E3', message: 'Three.', notes: [] },
    ]);
    const byFile = diagnosticsByFile(stdout, '/work/dir');
    expect([...byFile.keys()]).toEqual(['/work/dir/a.mlspec', '/abs/b.mlspec']);
    expect(byFile.get('/work/dir/a.mlspec')!.map((d) => d.code)).toEqual(['E1', 'E3']);
  });

  it('rejects output that is not a JSON array', () => {
    expect(() => diagnosticsByFile('{"a": 1}', '/')).toThrow();
    expect(() => diagnosticsByFile('not json', '/')).toThrow();
  });
});

describe('extension.js with a stand-in vscode module', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mlspec-vscode-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs `check --format json FILE` on save and shows the results for that document', async () => {
    const spec = join(dir, 'x.mlspec');
    // A token out of place, then a '{' the file never closes (related information: where the file ends).
    writeFileSync(spec, 'loss 64\nmodel {\n');
    const json = diagnosticsToJson(parse('loss 64\nmodel {\n', spec).diagnostics);
    const fakeCli = join(dir, 'fake-mlspec');
    const argsFile = join(dir, 'args.txt');
    writeFileSync(fakeCli, `#!/bin/sh\necho "$@" > '${argsFile}'\ncat <<'JSON'\n${json}\nJSON\nexit 1\n`);
    chmodSync(fakeCli, 0o755);

    const sets: { uri: unknown; items: any[] }[] = [];
    const handlers: Record<string, (doc: unknown) => void> = {};
    class Range {
      constructor(
        public startLine: number,
        public startCharacter: number,
        public endLine: number,
        public endCharacter: number,
      ) {}
    }
    class Diagnostic {
      source?: string;
      code?: string;
      relatedInformation?: DiagnosticRelatedInformation[];
      constructor(
        public range: Range,
        public message: string,
        public severity: number,
      ) {}
    }
    class Location {
      constructor(
        public uri: unknown,
        public range: Range,
      ) {}
    }
    class DiagnosticRelatedInformation {
      constructor(
        public location: Location,
        public message: string,
      ) {}
    }
    const fakeVscode = {
      DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
      Range,
      Diagnostic,
      Location,
      DiagnosticRelatedInformation,
      languages: { createDiagnosticCollection: () => ({ set: (uri: unknown, items: any[]) => sets.push({ uri, items }), delete: () => {}, dispose: () => {} }) },
      workspace: {
        getConfiguration: () => ({ get: () => fakeCli }),
        onDidSaveTextDocument: (f: (doc: unknown) => void) => ((handlers['save'] = f), { dispose() {} }),
        onDidOpenTextDocument: (f: (doc: unknown) => void) => ((handlers['open'] = f), { dispose() {} }),
        onDidCloseTextDocument: () => ({ dispose() {} }),
        textDocuments: [],
      },
      window: { showWarningMessage: (message: string) => sets.push({ uri: 'warning', items: [message] }) },
    };
    const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
    const originalLoad = moduleWithLoad._load;
    moduleWithLoad._load = function (request: string, ...rest: unknown[]) {
      return request === 'vscode' ? fakeVscode : originalLoad.call(this, request, ...rest);
    };
    try {
      const extension = require(join(extensionDir, 'extension.js')) as { activate: (context: unknown) => void };
      extension.activate({ subscriptions: [] });
    } finally {
      moduleWithLoad._load = originalLoad;
    }
    const uri = { fsPath: spec, scheme: 'file' };
    handlers['save']!({ languageId: 'mlspec', uri });
    for (let i = 0; i < 100 && sets.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));

    expect(readFileSync(argsFile, 'utf8').trim()).toBe(`check --format json ${spec}`);
    expect(sets).toHaveLength(1);
    expect(sets[0]!.uri).toBe(uri);
    const [shown] = sets[0]!.items as Diagnostic[];
    expect(shown!.message).toBe("Expected ':' or '{' after 'loss', but found '64'.");
    expect(shown!.code).toBe('E0004');
    expect(shown!.severity).toBe(0);
    expect(shown!.range).toEqual(new Range(0, 5, 0, 7));
    const unclosed = (sets[0]!.items as Diagnostic[])[1]!;
    expect(unclosed.code).toBe('E0005');
    expect(unclosed.range).toEqual(new Range(1, 6, 1, 7));
    expect(unclosed.relatedInformation).toEqual([new DiagnosticRelatedInformation(new Location(uri, new Range(2, 0, 2, 0)), "the file ends here, without the '}'")]);
  });
});
