import { describe, expect, it } from 'vitest';
import { cutText, echoValue, MAX_MESSAGE_CHARS, terminalSafe } from '../../src/runtime/safe-text.js';

describe('terminalSafe', () => {
  it('escapes C0, DEL, C1 and bidi controls but keeps line feeds and tabs', () => {
    expect(terminalSafe('a\x1b[2Jb\x1b]0;title\x07c\u009b31md\x7fe\u202ef\u2066g')).toBe('a\\x1b[2Jb\\x1b]0;title\\x07c\\x9b31md\\x7fe\\u202ef\\u2066g');
    expect(terminalSafe('line one\n\tline two\r')).toBe('line one\n\tline two\\r');
    expect(terminalSafe('plain text, café, 数据, 🙂')).toBe('plain text, café, 数据, 🙂');
  });

  it('cuts a long message around an ellipsis, keeping its start and end', () => {
    const message = `start ${'x'.repeat(10_000_000)} end`;
    const safe = terminalSafe(message);
    expect(safe.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(safe.startsWith('start x')).toBe(true);
    expect(safe.endsWith('x end')).toBe(true);
    expect(safe).toContain('…');
  });
});

describe('echoValue', () => {
  it('escapes line breaks and tabs too, and cuts at 120 characters', () => {
    expect(echoValue('a\nb\tc')).toBe('a\\nb\\tc');
    const long = echoValue('K'.repeat(1000));
    expect(long).toHaveLength(120);
    expect(long).toMatch(/^K+…K+$/);
  });

  it('never splits a surrogate pair', () => {
    const cut = cutText('🙂'.repeat(100), 31);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});
