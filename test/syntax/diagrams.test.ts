import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntaxDiagramsHtml } from '../../src/syntax/diagrams.js';

const committedPath = join(import.meta.dirname, '../../grammar/diagrams.html');

describe('syntaxDiagramsHtml', () => {
  const html = syntaxDiagramsHtml();

  // Regenerate with: UPDATE_DIAGRAMS=1 npx vitest run test/syntax/diagrams.test.ts
  if (process.env['UPDATE_DIAGRAMS'] === '1') writeFileSync(committedPath, html);

  it('matches the committed grammar/diagrams.html', () => {
    expect(readFileSync(committedPath, 'utf8')).toBe(html);
  });

  it('works offline: no external scripts, stylesheets or CDN links', () => {
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=/i);
    expect(html).not.toMatch(/unpkg\.com|cdn/i);
    // The railroad library and Chevrotain's diagram code are inlined, and the CSS too.
    expect(html).toContain('railroad');
    expect(html).toContain('drawDiagramsFromSerializedGrammar');
    expect(html).toContain('<style>');
  });

  it('describes every grammar rule and none of the recovery rules', () => {
    const match = /window\.serializedGrammar = (\[[\s\S]*?\]);\n<\/script>/.exec(html);
    expect(match).not.toBeNull();
    const rules = JSON.parse(match![1]!) as { name: string }[];
    expect(rules.map((rule) => rule.name).sort()).toEqual(
      ['arg', 'args', 'block', 'callOrIdent', 'callStatementRest', 'file', 'inputs', 'item', 'list', 'namedStatementRest', 'propertyRest', 'value'].sort(),
    );
    expect(match![1]).not.toContain('stray');
  });
});
