/**
 * The language server over real JSON-RPC: `mlspec lsp --stdio` in a child process, driven as an
 * editor drives it. Positions are 0-based lines and UTF-16 characters, as LSP's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeAction, CompletionItem, Hover, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { analyze } from '../../src/frontend.js';
import { formatSpec } from '../../src/syntax/format.js';
import { startLspClient, type LspClient } from './lsp-client.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-lsp-'));
fs.mkdirSync(path.join(tmp, 'data'));
fs.copyFileSync(path.join(ROOT, 'examples/data/iris.csv'), path.join(tmp, 'data/iris.csv'));
let client: LspClient;

beforeAll(async () => {
  client = await startLspClient(tmp);
});
afterAll(async () => {
  await client.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

const IRIS = fs.readFileSync(path.join(ROOT, 'examples/iris.mlspec'), 'utf8');

/** The LSP position of the first `needle` in `text`, plus `delta` characters. */
function positionOf(text: string, needle: string, delta = needle.length) {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`'${needle}' is not in the text`);
  const before = text.slice(0, offset + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

async function completionLabels(file: string, text: string, needle: string): Promise<string[]> {
  await client.change(file, text);
  const items = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri: client.uri(file) }, position: positionOf(text, needle) });
  return items.map((item) => item.label);
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const offsetOf = (p: Range['start']) => text.split('\n').slice(0, p.line).reduce((n, line) => n + line.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start))
    .reduce((t, e) => t.slice(0, offsetOf(e.range.start)) + e.newText + t.slice(offsetOf(e.range.end)), text);
}

describe('mlspec lsp', () => {
  it('publishes the diagnostics of `mlspec check` for a typo, with its range and a quick fix that repairs it', async () => {
    const text = IRIS.replace('optimizer: momentum(', 'optimizer: momentun(');
    const diagnostics = await client.open('typo.mlspec', text);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d!.code).toBe('E0104');
    expect(d!.source).toBe('mlspec');
    expect(d!.message).toMatch(/^Unknown optimizer 'momentun'\. Did you mean 'momentum'\?/);
    const at = positionOf(text, 'momentun', 0);
    expect(d!.range).toEqual({ start: at, end: { line: at.line, character: at.character + 'momentun'.length } });
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: client.uri('typo.mlspec') },
      range: d!.range,
      context: { diagnostics },
    });
    expect(actions.map((a) => a.title)).toEqual(["Replace 'momentun' with 'momentum'"]);
    const fixed = applyEdits(text, (actions[0]!.edit as WorkspaceEdit).changes![client.uri('typo.mlspec')]!);
    expect(fixed).toBe(IRIS);
    expect(await client.change('typo.mlspec', fixed)).toEqual([]);
  });

  it('reports data-file problems (a label column that does not exist) with the codes, messages and lines of check', async () => {
    const text = IRIS.replace('label: species', 'label: specie');
    const file = path.join(tmp, 'iris-label.mlspec');
    const diagnostics = await client.open('iris-label.mlspec', text);
    const expected = analyze(text, file).diagnostics;
    expect(expected.length).toBeGreaterThan(0);
    expect(diagnostics.map((d) => [d.code, d.message.split('\n')[0], d.range.start.line + 1, d.range.start.character + 1])).toEqual(
      expected.map((d) => [d.code, d.message, d.span.start.line, d.span.start.column]),
    );
    expect(diagnostics.some((d) => /Did you mean 'species'\?/.test(d.message))).toBe(true);
  });

  it('completes option names, enum values, node names and CSV columns', async () => {
    const file = 'complete.mlspec';
    await client.open(file, IRIS);
    const dense = IRIS.replace('dense(16, activation: relu)', 'dense(16, ');
    expect(await completionLabels(file, dense, 'dense(16, ')).toContain('activation');
    const activation = IRIS.replace('dense(16, activation: relu)', 'dense(16, activation: ');
    const values = await completionLabels(file, activation, 'activation: ');
    expect(values).toContain('relu');
    expect(values).toContain('gelu');
    const graph = 'model {\n  x = input(shape: [4])\n  h = dense(8) <- x\n  y = dense(3) <- \n}\n';
    expect(await completionLabels(file, graph, 'y = dense(3) <- ')).toEqual(['x', 'h']);
    const csv = IRIS.replace('csv("data/iris.csv", label: species', 'csv("data/iris.csv", label: ');
    expect(await completionLabels(file, csv, 'label: ')).toEqual(['sepal_length', 'sepal_width', 'petal_length', 'petal_width', 'species']);
    const losses = await completionLabels(file, IRIS.replace(/loss: \w+/, 'loss: sparse'), 'loss: sparse');
    expect(losses).toEqual(['sparse_categorical_cross_entropy']);
    const layers = await completionLabels(file, IRIS.replace('  dense(16', '  con\n  dense(16'), '  con');
    expect(layers).toEqual(expect.arrayContaining(['conv1d', 'conv2d', 'concat']));
    expect(layers.every((label) => label.startsWith('con'))).toBe(true);
  });

  it('hovers the documentation of adam and the inferred shape of a dense node', async () => {
    const file = 'hover.mlspec';
    const text = IRIS.replace(/optimizer: .*\n/, 'optimizer: adam(lr: 0.01)\n');
    await client.open(file, text);
    const adam = await client.request<Hover>('textDocument/hover', { textDocument: { uri: client.uri(file) }, position: positionOf(text, 'adam', 1) });
    expect((adam.contents as { value: string }).value).toMatch(/^\*\*adam\*\* \(optimizer\)\n\nAdam\./);
    expect((adam.contents as { value: string }).value).toContain('`beta1`');
    const dense = await client.request<Hover>('textDocument/hover', { textDocument: { uri: client.uri(file) }, position: positionOf(text, 'dense(16', 2) });
    expect((dense.contents as { value: string }).value).toMatch(/output shape \[batch, 16\], 80 parameters/);
  });

  it('goes to a node\'s definition, finds its references and renames every use', async () => {
    const file = 'graph.mlspec';
    const text = fs.readFileSync(path.join(ROOT, 'examples/residual.mlspec'), 'utf8');
    await client.open(file, text);
    const use = positionOf(text, 'sum = add <- h', 'sum = add <- '.length);
    const definition = await client.request<Location>('textDocument/definition', { textDocument: { uri: client.uri(file) }, position: use });
    expect(definition.range.start).toEqual(positionOf(text, 'h = dense', 0));
    const references = await client.request<Location[]>('textDocument/references', {
      textDocument: { uri: client.uri(file) },
      position: use,
      context: { includeDeclaration: true },
    });
    expect(references).toHaveLength(3); // h = ..., r = dense <- h, sum = add <- h, r
    const rename = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: client.uri(file) }, position: use, newName: 'hidden' });
    const renamed = applyEdits(text, rename.changes![client.uri(file)]!);
    expect(renamed).toContain('hidden = dense(16, activation: relu) <- x');
    expect(renamed).toContain('r = dense(16, activation: relu) <- hidden');
    expect(renamed).toContain('sum = add <- hidden, r');
    expect(await client.change(file, renamed)).toEqual([]);
  });

  it('formats a document exactly as `mlspec fmt`, and leaves a broken one alone', async () => {
    const file = 'format.mlspec';
    const messy = IRIS.replace('dense(16, activation: relu)', 'dense( 16,activation:relu )').replace(/\n  /g, '\n      ');
    await client.open(file, messy);
    const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri: client.uri(file) }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    expect(applyEdits(messy, edits)).toBe(formatSpec(messy, file).output);
    await client.change(file, 'model {\n  dense(\n');
    expect(await client.request('textDocument/formatting', { textDocument: { uri: client.uri(file) }, options: { tabSize: 2, insertSpaces: true } })).toEqual([]);
  });

  it('gives an outline of sections and nodes, and folding ranges', async () => {
    const file = 'outline.mlspec';
    await client.open(file, IRIS);
    const symbols = await client.request<{ name: string; children?: { name: string }[] }[]>('textDocument/documentSymbol', { textDocument: { uri: client.uri(file) } });
    expect(symbols.map((s) => s.name)).toEqual(['model', 'data', 'loss', 'optimizer', 'schedule', 'train']);
    expect(symbols[0]!.children!.map((c) => c.name)).toEqual(['input', 'dense', 'dense']);
    const folds = await client.request<{ startLine: number }[]>('textDocument/foldingRange', { textDocument: { uri: client.uri(file) } });
    expect(folds.length).toBeGreaterThanOrEqual(4);
    expect(client.errors).toEqual([]);
  });
});
