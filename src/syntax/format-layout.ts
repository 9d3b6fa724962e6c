/**
 * The layout model of `fmt`: each block (the file, or a section's body) becomes a list of units,
 * own-line comments and items, each knowing whether a blank line preceded it in the source.
 * Every comment of the file lands in exactly one place:
 *   - an own-line comment goes above the item that follows it (or at the end of its block);
 *   - a trailing comment stays at the end of the line of the item it follows;
 *   - a comment after a section's `{` (or between its name and `{`) trails the `key {` line;
 *   - comments inside a one-line item (a call spread over lines) go above the item, except the
 *     last trailing one, which trails the item's line if nothing else does.
 */
import type { Comment, Item, Section } from './ast.js';

export interface CommentUnit {
  kind: 'comment';
  text: string;
  blankBefore: boolean;
}

export interface ItemUnit {
  kind: 'item';
  item: Item;
  blankBefore: boolean;
  trailing: string | undefined;
  /** True while `trailing` came from inside the item; a comment after the item takes its place. */
  trailingFromInside?: boolean;
  /** Sections only: the comment on the `key {` line, the body, and whether any comment lies inside. */
  header?: string;
  body?: Unit[];
  hasInnerComments?: boolean;
}

export type Unit = CommentUnit | ItemUnit;

export function layoutFile(items: readonly Item[], comments: readonly Comment[], source: string): Unit[] {
  return layoutBlock(items, sortComments(comments), source, undefined).units;
}

interface BlockLayout {
  units: Unit[];
  header: string | undefined;
}

/** `braceLine` is the line of the block's `{` (undefined for the file). */
function layoutBlock(items: readonly Item[], comments: readonly Comment[], source: string, braceLine: number | undefined): BlockLayout {
  const units: Unit[] = [];
  let header: string | undefined;
  let previousItem: ItemUnit | undefined;
  let commentsSincePreviousItem = 0;
  let lastLine: number | undefined;
  const blankBefore = (line: number) => lastLine !== undefined && line - lastLine >= 2;

  let next = 0;
  const pushOwnLine = (comment: Comment) => {
    units.push({ kind: 'comment', text: commentText(comment), blankBefore: blankBefore(comment.span.start.line) });
    lastLine = comment.span.start.line;
    commentsSincePreviousItem++;
  };

  const placeBetweenItems = (comment: Comment) => {
    if (isOwnLine(comment, source)) pushOwnLine(comment);
    else if (previousItem && commentsSincePreviousItem === 0) attachTrailing(previousItem, comment, units);
    else if (!previousItem && header === undefined && braceLine !== undefined && comment.span.start.line === braceLine) {
      header = commentText(comment);
    } else pushOwnLine(comment);
  };

  for (const item of items) {
    const inside: Comment[] = [];
    while (next < comments.length && comments[next]!.span.start.offset < item.span.end.offset) {
      const comment = comments[next++]!;
      if (comment.span.start.offset < item.span.start.offset) placeBetweenItems(comment);
      else inside.push(comment);
    }
    const unit = layoutItem(item, inside, source, blankBefore(item.span.start.line), units);
    units.push(unit);
    previousItem = unit;
    commentsSincePreviousItem = 0;
    lastLine = item.span.end.line;
  }
  while (next < comments.length) placeBetweenItems(comments[next++]!);
  if (units[0]) units[0].blankBefore = false;
  return { units, header };
}

/**
 * Lays out one item; comments that must go above it are pushed onto `units` first. The pushed
 * comments take over the item's blank line, so the blank stays above the whole group.
 */
function layoutItem(item: Item, inside: readonly Comment[], source: string, blank: boolean, units: Unit[]): ItemUnit {
  if (item.kind === 'section') return layoutSection(item, inside, source, blank, units);
  const above: string[] = [];
  let trailing: string | undefined;
  for (let i = inside.length - 1; i >= 0; i--) {
    const comment = inside[i]!;
    if (trailing === undefined && !isOwnLine(comment, source)) trailing = commentText(comment);
    else above.unshift(commentText(comment));
  }
  pushAbove(above, blank, units);
  return { kind: 'item', item, blankBefore: blank && above.length === 0, trailing, trailingFromInside: trailing !== undefined };
}

function layoutSection(section: Section, inside: readonly Comment[], source: string, blank: boolean, units: Unit[]): ItemUnit {
  const brace = openingBraceOffset(source, section.key.span.end.offset);
  const beforeBrace = inside.filter((comment) => comment.span.start.offset < brace);
  const body = inside.filter((comment) => comment.span.start.offset > brace);
  const braceLine = lineOf(source, brace, section);
  const laidOut = layoutBlock(section.items, body, source, braceLine);
  // Comments between the name and `{`, then one after `{`: the last trails the `key {` line,
  // the others go above the section.
  const candidates = [...beforeBrace.map(commentText), ...(laidOut.header !== undefined ? [laidOut.header] : [])];
  const header = candidates.pop();
  const above = candidates;
  pushAbove(above, blank, units);
  return {
    kind: 'item',
    item: section,
    blankBefore: blank && above.length === 0,
    trailing: undefined,
    ...(header !== undefined ? { header } : {}),
    body: laidOut.units,
    hasInnerComments: inside.length > 0,
  };
}

function pushAbove(texts: readonly string[], blank: boolean, units: Unit[]): void {
  texts.forEach((text, index) => units.push({ kind: 'comment', text, blankBefore: blank && index === 0 }));
}

/**
 * The comment after an item trails its line. A comment from inside the item that was going to
 * trail it moves above instead; so does a second trailing comment (only after odd comma placement).
 */
function attachTrailing(unit: ItemUnit, comment: Comment, units: Unit[]): void {
  let text = commentText(comment);
  if (unit.trailing !== undefined && unit.trailingFromInside) [unit.trailing, text] = [text, unit.trailing];
  unit.trailingFromInside = false;
  if (unit.trailing === undefined) {
    unit.trailing = text;
    return;
  }
  const index = units.indexOf(unit);
  units.splice(index, 0, { kind: 'comment', text, blankBefore: unit.blankBefore });
  unit.blankBefore = false;
}

function commentText(comment: Comment): string {
  return comment.text.trimEnd();
}

/** True when only whitespace precedes the comment on its line. */
function isOwnLine(comment: Comment, source: string): boolean {
  const lineStart = comment.span.start.offset - (comment.span.start.column - 1);
  return source.slice(lineStart, comment.span.start.offset).trim() === '';
}

/** The offset of the `{` after a section's name, skipping whitespace and comments. */
function openingBraceOffset(source: string, from: number): number {
  let i = from;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '{') return i;
    if (ch === '#' || (ch === '/' && source[i + 1] === '/')) {
      while (i < source.length && source[i] !== '\n' && source[i] !== '\r') i++;
    } else i++;
  }
  return i;
}

/** The line of `offset`, counted from the section's start (the section's span gives a known line). */
function lineOf(source: string, offset: number, section: Section): number {
  let line = section.span.start.line;
  for (let i = section.span.start.offset; i < offset; i++) {
    const ch = source[i];
    if (ch === '\n' || (ch === '\r' && source[i + 1] !== '\n')) line++;
  }
  return line;
}

function sortComments(comments: readonly Comment[]): Comment[] {
  return [...comments].sort((a, b) => a.span.start.offset - b.span.start.offset);
}
