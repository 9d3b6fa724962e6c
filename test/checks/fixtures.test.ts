/**
 * Every spec in test/fixtures/invalid/ starts with one or more lines
 *   # expect: CODE LINE:COL [text the message must contain]
 * and must produce exactly those diagnostics (errors and warnings), at those positions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, test } from 'vitest';
import { analyze } from '../../src/frontend.js';

const dir = 'test/fixtures/invalid';
const files = fs.readdirSync(dir).filter((name) => name.endsWith('.mlspec')).sort();

interface Expectation {
  code: string;
  line: number;
  column: number;
  text: string | null;
}

function expectations(source: string): Expectation[] {
  return [...source.matchAll(/^# expect: ([EW]\d{4}) (\d+):(\d+)(?: (.+))?$/gm)].map((m) => ({
    code: m[1]!,
    line: Number(m[2]),
    column: Number(m[3]),
    text: m[4] ?? null,
  }));
}

const key = (e: { code: string; line: number; column: number }): string => `${e.code} ${e.line}:${e.column}`;

describe('invalid specs report exactly the expected diagnostics', () => {
  test('there are at least 45 fixtures, each with an expectation', () => {
    expect(files.length).toBeGreaterThanOrEqual(45);
    for (const name of files) expect(expectations(fs.readFileSync(path.join(dir, name), 'utf8')), name).not.toHaveLength(0);
  });

  for (const name of files) {
    test(name, () => {
      const source = fs.readFileSync(path.join(dir, name), 'utf8');
      const wanted = expectations(source);
      const { diagnostics } = analyze(source, path.join(dir, name));
      expect(diagnostics.map((d) => key({ code: d.code, ...d.span.start })).sort()).toEqual(wanted.map(key).sort());
      for (const want of wanted.filter((w) => w.text !== null)) {
        const match = diagnostics.find((d) => key({ code: d.code, ...d.span.start }) === key(want));
        expect(match?.message).toContain(want.text);
      }
    });
  }
});

describe('the fixtures cover every diagnostic code of the front end', () => {
  /** Codes written as string literals in the parser, the IR builder and the checks. */
  function codesIn(folder: string): string[] {
    const found: string[] = [];
    for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
      found.push(...[...text.matchAll(/'([EW]0\d{3})'/g)].map((m) => m[1]!));
    }
    return found;
  }

  test('each code emitted by src/ir, src/checks and src/syntax appears in some fixture', () => {
    const covered = new Set(files.flatMap((name) => expectations(fs.readFileSync(path.join(dir, name), 'utf8')).map((e) => e.code)));
    const emitted = new Set([...codesIn('src/ir'), ...codesIn('src/checks'), ...codesIn('src/syntax')]);
    // E0006 (nesting deeper than 64) is covered by the parser's own tests and the property test.
    emitted.delete('E0006');
    const missing = [...emitted].filter((code) => !covered.has(code)).sort();
    expect(missing).toEqual([]);
    expect(emitted.size).toBeGreaterThan(40);
  });
});

describe('docs/diagnostics.md', () => {
  test('documents every code used anywhere in src/ and grammar/', () => {
    const documented = new Set([...fs.readFileSync('docs/diagnostics.md', 'utf8').matchAll(/^\| ([EW]\d{4}) \|/gm)].map((m) => m[1]!));
    const used = new Set<string>();
    for (const folder of ['src', 'grammar']) {
      for (const entry of fs.readdirSync(folder, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
        const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
        for (const m of text.matchAll(/'([EW]\d{4})'/g)) used.add(m[1]!);
      }
    }
    expect([...used].filter((code) => !documented.has(code)).sort()).toEqual([]);
    expect(used.size).toBeGreaterThan(50);
  });
});
