/**
 * Printing diagnostics for people (an excerpt with a caret line under the span) and for tools
 * (a stable JSON array, which the VS Code extension reads).
 *
 *   examples/x.mlspec:3:8: error[E0004]: Expected ':' or '{' after 'loss', but found '64'.
 *    3 | loss 64
 *      |      ^^
 *     = note: ...
 */
import { terminalSafe } from '../runtime/safe-text.js';
import type { Diagnostic, Severity } from './diagnostic.js';

export interface FormatOptions {
  /** ANSI colours; only for terminals. */
  color: boolean;
}

const tabWidth = 4;
const ansi = { reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', yellow: '\x1b[33m', blue: '\x1b[34m', cyan: '\x1b[36m' };
const severityColour: Record<Severity, string> = { error: ansi.red, warning: ansi.yellow, info: ansi.cyan };

/** One diagnostic: header, then (when the source is known) the line with a caret line, then notes. */
export function formatDiagnostic(d: Diagnostic, source: string | undefined, options: FormatOptions): string {
  const paint = (style: string, text: string) => (options.color ? `${style}${text}${ansi.reset}` : text);
  const colour = severityColour[d.severity] ?? ansi.red;
  const { line, column } = d.span.start;
  const lines = [
    // Messages echo values of the spec and the data: their control characters are escaped (safe-text.ts).
    `${terminalSafe(d.file)}:${line}:${column}: ${paint(ansi.bold + colour, `${d.severity}[${d.code}]`)}: ${paint(ansi.bold, terminalSafe(d.message))}`,
  ];
  const excerpt = source === undefined ? undefined : excerptOf(d, source);
  const gutterWidth = String(line).length;
  if (excerpt) {
    const pad = ' '.repeat(gutterWidth);
    lines.push(`${paint(ansi.blue, `${String(line)} |`)} ${excerpt.text}`.trimEnd());
    lines.push(`${paint(ansi.blue, `${pad} |`)} ${' '.repeat(excerpt.caretStart)}${paint(ansi.bold + colour, '^'.repeat(excerpt.caretWidth))}`);
  }
  for (const note of d.notes ?? []) lines.push(`  ${paint(ansi.bold, '= note:')} ${terminalSafe(note)}`);
  for (const place of d.related ?? []) lines.push(`  ${paint(ansi.bold, '= see:')} ${terminalSafe(d.file)}:${place.span.start.line}:${place.span.start.column}: ${terminalSafe(place.message)}`);
  return lines.join('\n');
}

/**
 * Every diagnostic, sorted by file, line and column (otherwise in the given order), separated by
 * blank lines; no trailing newline; '' for none. `sources` maps a diagnostic's file to its text.
 */
export function formatDiagnostics(list: readonly Diagnostic[], sources: Map<string, string>, options: FormatOptions): string {
  return sortDiagnostics(list)
    .map((d) => formatDiagnostic(d, sources.get(d.file), options))
    .join('\n\n');
}

/** A JSON array, sorted like `formatDiagnostics`, with the same keys in the same order for every item. */
export function diagnosticsToJson(list: readonly Diagnostic[]): string {
  const items = sortDiagnostics(list).map((d) => ({
    file: d.file,
    line: d.span.start.line,
    column: d.span.start.column,
    endLine: d.span.end.line,
    endColumn: d.span.end.column,
    severity: d.severity,
    code: d.code,
    message: terminalSafe(d.message),
    notes: (d.notes ?? []).map((note) => terminalSafe(note)),
    related: (d.related ?? []).map((place) => ({
      line: place.span.start.line,
      column: place.span.start.column,
      endLine: place.span.end.line,
      endColumn: place.span.end.column,
      message: terminalSafe(place.message),
    })),
    fixes: (d.fixes ?? []).map((fix) => ({
      title: fix.title,
      edits: fix.edits.map((e) => ({
        line: e.span.start.line,
        column: e.span.start.column,
        endLine: e.span.end.line,
        endColumn: e.span.end.column,
        newText: e.newText,
      })),
    })),
  }));
  return JSON.stringify(items, null, 2);
}

function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return list
    .map((d, index) => ({ d, index }))
    .sort(
      (a, b) =>
        compareStrings(a.d.file, b.d.file) ||
        a.d.span.start.line - b.d.span.start.line ||
        a.d.span.start.column - b.d.span.start.column ||
        a.index - b.index,
    )
    .map(({ d }) => d);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Excerpt {
  /** The source line as displayed: tabs expanded, control characters made visible. */
  text: string;
  /** Display columns before the first caret, and the number of carets (at least one). */
  caretStart: number;
  caretWidth: number;
}

/** The span's first line, with the caret placed by display width (tabs, wide and combining characters). */
function excerptOf(d: Diagnostic, source: string): Excerpt | undefined {
  const fullLine = sourceLine(source, d.span.start.line);
  if (fullLine === undefined) return undefined;
  const fullStart = Math.min(d.span.start.column - 1, fullLine.length);
  const fullEnd = d.span.end.line > d.span.start.line ? fullLine.length : Math.min(Math.max(d.span.end.column - 1, fullStart), fullLine.length);
  const { lineText, startIndex, endIndex } = clipLine(fullLine, fullStart, fullEnd);
  let text = '';
  let width = 0;
  let caretStart = 0;
  let caretEnd = 0;
  for (let index = 0; index <= lineText.length; ) {
    if (index === startIndex) caretStart = width;
    if (index === endIndex) caretEnd = width;
    if (index === lineText.length) break;
    const codePoint = lineText.codePointAt(index)!;
    const char = String.fromCodePoint(codePoint);
    if (char === '\t') {
      const spaces = tabWidth - (width % tabWidth);
      text += ' '.repeat(spaces);
      width += spaces;
    } else if (codePoint < 0x20 || codePoint === 0x7f) {
      // Control characters would move the terminal cursor: show the matching control picture.
      text += String.fromCodePoint(codePoint === 0x7f ? 0x2421 : 0x2400 + codePoint);
      width += 1;
    } else if ((codePoint >= 0x80 && codePoint <= 0x9f) || codePoint === 0x61c || codePoint === 0x200e || codePoint === 0x200f || (codePoint >= 0x202a && codePoint <= 0x202e) || (codePoint >= 0x2066 && codePoint <= 0x2069)) {
      // C1 controls (0x9b is CSI) and bidi overrides: shown as an escape, never sent.
      const escaped = `\\u${codePoint.toString(16).padStart(4, '0')}`;
      text += escaped;
      width += escaped.length;
    } else {
      text += char;
      width += displayWidth(codePoint);
    }
    index += char.length;
  }
  return { text, caretStart, caretWidth: Math.max(1, caretEnd - caretStart) };
}

/** Characters of context shown on each side of a span in a long line, and of the span itself. */
const excerptContext = 80;

/**
 * A long line is cut to a window around the span, marked with '…' where it was cut, so that
 * thousands of diagnostics on one generated 60 KB line print in milliseconds, not minutes.
 */
function clipLine(line: string, start: number, end: number): { lineText: string; startIndex: number; endIndex: number } {
  if (line.length <= 4 * excerptContext) return { lineText: line, startIndex: start, endIndex: end };
  const avoidSplitPair = (index: number) => (index > 0 && index < line.length && /[\udc00-\udfff]/.test(line[index]!) ? index - 1 : index);
  const from = avoidSplitPair(Math.max(0, start - excerptContext));
  const to = avoidSplitPair(Math.min(line.length, Math.min(end, start + 2 * excerptContext) + excerptContext));
  const head = from > 0 ? '…' : '';
  const tail = to < line.length ? '…' : '';
  return {
    lineText: `${head}${line.slice(from, to)}${tail}`,
    startIndex: start - from + head.length,
    endIndex: Math.min(end, to) - from + head.length,
  };
}

/** The last source split into lines; formatting many diagnostics of one file splits it once. */
let splitCache: { source: string; lines: string[] } | undefined;

/** Line `line` (1-based) without its terminator; lines end at `\n`, `\r\n` or `\r`. */
function sourceLine(source: string, line: number): string | undefined {
  if (splitCache?.source !== source) splitCache = { source, lines: source.split(/\r\n|\n|\r/) };
  return splitCache.lines[line - 1];
}

/** Terminal columns taken by one code point: 0 for combining marks, 2 for wide East Asian and emoji. */
export function displayWidth(codePoint: number): number {
  const char = String.fromCodePoint(codePoint);
  if (/[\p{Mn}\p{Me}\p{Cf}]/u.test(char) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1faff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}
