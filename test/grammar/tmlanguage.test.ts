import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import oniguruma from 'vscode-oniguruma';
import textmate from 'vscode-textmate';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const grammarPath = join(root, 'grammar/mlspec.tmLanguage.json');
const examplesDir = join(root, 'examples');
const examples = readdirSync(examplesDir).filter((name) => name.endsWith('.mlspec'));

type Grammar = Awaited<ReturnType<textmate.Registry['loadGrammar']>>;
let grammar: NonNullable<Grammar>;

/** Each character of each line with the scopes TextMate gives it. */
function tokenize(text: string): { line: number; char: string; scopes: string[] }[][] {
  let stack = textmate.INITIAL;
  return text.split(/\r?\n/).map((line, index) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const chars: { line: number; char: string; scopes: string[] }[] = [];
    for (const token of result.tokens) {
      for (let i = token.startIndex; i < Math.min(token.endIndex, line.length); i++) {
        chars.push({ line: index + 1, char: line[i]!, scopes: token.scopes });
      }
    }
    return chars;
  });
}

/** The scopes of the first occurrence of `needle` in the one-line `text`. */
function scopesOf(text: string, needle: string, occurrence = 0): string[] {
  const chars = tokenize(text)[0]!;
  let index = -1;
  for (let k = 0; k <= occurrence; k++) index = text.indexOf(needle, index + 1);
  expect(index).toBeGreaterThanOrEqual(0);
  return chars[index]!.scopes;
}

beforeAll(async () => {
  const wasm = readFileSync(join(root, 'node_modules/vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === 'source.mlspec' ? textmate.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  const loaded = await registry.loadGrammar('source.mlspec');
  if (!loaded) throw new Error('grammar did not load');
  grammar = loaded;
});

describe('mlspec.tmLanguage.json', () => {
  it('declares the scope name and file extension', () => {
    const raw = JSON.parse(readFileSync(grammarPath, 'utf8')) as { scopeName: string; fileTypes: string[] };
    expect(raw.scopeName).toBe('source.mlspec');
    expect(raw.fileTypes).toEqual(['mlspec']);
  });

  it.each(examples)('%s: every non-space character gets a scope, and none is marked invalid', (name) => {
    const lines = tokenize(readFileSync(join(examplesDir, name), 'utf8'));
    let checked = 0;
    for (const chars of lines) {
      for (const { line, char, scopes } of chars) {
        if (/\s/.test(char)) continue;
        checked++;
        const own = scopes.filter((scope) => scope !== 'source.mlspec');
        expect(own, `${name}:${line} '${char}'`).not.toEqual([]);
        expect(own.join(' '), `${name}:${line} '${char}'`).not.toContain('invalid');
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('scopes comments, strings and escapes', () => {
    expect(scopesOf('a: 1 # note', 'note')).toContain('comment.line.number-sign.mlspec');
    expect(scopesOf('// note', 'note')).toContain('comment.line.double-slash.mlspec');
    const text = 'source: csv("data/x\\n.csv")';
    expect(scopesOf(text, 'data')).toContain('string.quoted.double.mlspec');
    expect(scopesOf(text, '\\n')).toContain('constant.character.escape.mlspec');
    expect(scopesOf('s: "a\\qb"', '\\q')).toContain('invalid.illegal.escape.mlspec');
    // A '#' inside a string is not a comment.
    expect(scopesOf('s: "#x"', 'x')).not.toContain('comment.line.number-sign.mlspec');
  });

  it('scopes numbers, keywords, keys, calls, node names and operators', () => {
    expect(scopesOf('optimizer: adam(lr: 1e-3)', '1e-3')).toContain('constant.numeric.mlspec');
    expect(scopesOf('b: -0.5', '-')).toContain('constant.numeric.mlspec');
    expect(scopesOf('optimizer: adam(lr: 1e-3)', 'optimizer')).toContain('keyword.other.mlspec');
    expect(scopesOf('model {', 'model')).toContain('keyword.other.mlspec');
    expect(scopesOf('optimizer: adam(lr: 1e-3)', 'adam')).toContain('entity.name.function.mlspec');
    expect(scopesOf('optimizer: adam(lr: 1e-3)', 'lr')).toContain('variable.parameter.mlspec');
    expect(scopesOf('  epochs: 100', 'epochs')).toContain('support.type.property-name.mlspec');
    expect(scopesOf('  h = dense(16) <- x', 'h')).toContain('variable.other.definition.mlspec');
    expect(scopesOf('  h = dense(16) <- x', '=')).toContain('keyword.operator.assignment.mlspec');
    expect(scopesOf('  h = dense(16) <- x', '<-')).toContain('keyword.operator.arrow.mlspec');
    expect(scopesOf('  sum = add <- h, r', ',')).toContain('punctuation.separator.comma.mlspec');
    expect(scopesOf('  m: [1, 2]', '[')).toContain('punctuation.section.brackets.begin.mlspec');
    expect(scopesOf('  split { a: 1 }', '}')).toContain('punctuation.section.block.end.mlspec');
  });

  it('keeps scoping arguments of a call spread over lines', () => {
    const lines = tokenize('m: f(a: 1,\n  b: "x")\nloss: mse');
    const b = lines[1]!.find((c) => c.char === 'b')!;
    expect(b.scopes).toContain('variable.parameter.mlspec');
    const loss = lines[2]!.find((c) => c.char === 'l')!;
    expect(loss.scopes).toContain('keyword.other.mlspec');
  });

  it('marks characters that are not mlspec as invalid', () => {
    expect(scopesOf('a: @', '@')).toContain('invalid.illegal.character.mlspec');
  });
});
