/**
 * Where the cursor is, in the language's terms: which section or call it is inside, and whether
 * it is at the start of an item, after `key:`, inside a call's arguments, or after `<-`. Read
 * from the tokens before the cursor (not from the tree), so it works on half-typed text that
 * does not parse, which is what an editor mostly holds.
 */
import type { IToken } from 'chevrotain';
import {
  Arrow,
  Colon,
  Comma,
  Equals,
  Identifier,
  LBrace,
  LBracket,
  LParen,
  mlspecLexer,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
} from '../../grammar/tokens.js';
import { tokenMatcher } from 'chevrotain';
import { decodeStringLiteral } from '../syntax/string-literal.js';

/** A block or bracket the cursor is inside, innermost last. */
export type Frame =
  | { kind: 'file' }
  | { kind: 'section'; name: string }
  /** `callee(`; `arg` is the named argument being written (after `name:`), `strings` the string arguments so far. */
  | { kind: 'call'; callee: string; arg: string | null; positional: number; strings: string[] }
  /** `[`; `key` is the option or property the list is the value of. */
  | { kind: 'list'; key: string | null };

export type CursorContext =
  /** At the start of an item of a section (or of the file): keys, or layers in `model`. */
  | { kind: 'item'; frames: Frame[] }
  /** After `key:` in a section or the file (or inside a list that is its value). */
  | { kind: 'value'; key: string; frames: Frame[] }
  /** Inside `callee(...)` where an argument starts: option names. */
  | { kind: 'argument'; frames: Frame[] }
  /** After `name:` inside a call: the option's values. */
  | { kind: 'argument-value'; key: string; frames: Frame[] }
  /** After `<-` (or `<- a,`) in the model: names of earlier nodes. */
  | { kind: 'node-input'; frames: Frame[] };

export interface Cursor {
  context: CursorContext;
  /** The identifier (or the string, without its quote) being typed at the cursor, and where it starts. */
  word: string;
  wordStart: number;
}

const is = (token: IToken | undefined, type: Parameters<typeof tokenMatcher>[1]): boolean =>
  token !== undefined && tokenMatcher(token, type);

/** The innermost frame. */
export function innermost(frames: readonly Frame[]): Frame {
  return frames[frames.length - 1]!;
}

/** The nearest enclosing section's name ('' at the top level). */
export function enclosingSection(frames: readonly Frame[]): string {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (frame.kind === 'section') return frame.name;
  }
  return '';
}

function framesOf(tokens: readonly IToken[]): Frame[] {
  const frames: Frame[] = [{ kind: 'file' }];
  const pop = (kind: Frame['kind']) => {
    // Pop to the innermost frame of this kind; a stray closer (unbalanced text) is ignored.
    for (let i = frames.length - 1; i > 0; i--) {
      if (frames[i]!.kind === kind) {
        frames.length = i;
        return;
      }
    }
  };
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    const top = frames[frames.length - 1]!;
    if (is(token, LBrace)) frames.push({ kind: 'section', name: is(previous, Identifier) ? previous!.image : '' });
    else if (is(token, RBrace)) pop('section');
    else if (is(token, LParen)) frames.push({ kind: 'call', callee: is(previous, Identifier) ? previous!.image : '', arg: null, positional: 0, strings: [] });
    else if (is(token, RParen)) pop('call');
    else if (is(token, LBracket)) {
      const key = is(previous, Colon) && is(tokens[i - 2], Identifier) ? tokens[i - 2]!.image : null;
      frames.push({ kind: 'list', key });
    } else if (is(token, RBracket)) pop('list');
    else if (top.kind === 'call') {
      if (is(token, Colon) && is(previous, Identifier)) top.arg = previous!.image;
      else if (is(token, Comma)) {
        if (top.arg === null) top.positional += 1;
        top.arg = null;
      } else if (is(token, StringLiteral)) top.strings.push(decodeStringLiteral(token.image).value);
    }
  });
  return frames;
}

/** The context at `offset` of `text`. */
export function cursorAt(text: string, offset: number): Cursor {
  const before = text.slice(0, offset);
  const all = mlspecLexer.tokenize(before).tokens;
  // The word being typed: an identifier (or an open string) that ends at the cursor.
  let word = '';
  let wordStart = offset;
  let tokens = all;
  const last = all[all.length - 1];
  if (last && last.startOffset + last.image.length === offset && (is(last, Identifier) || is(last, StringLiteral))) {
    word = is(last, StringLiteral) ? last.image.replace(/^"/, '').replace(/"$/, '') : last.image;
    wordStart = is(last, StringLiteral) ? last.startOffset + 1 : last.startOffset;
    tokens = all.slice(0, -1);
  }
  const frames = framesOf(tokens);
  return { context: contextOf(tokens, frames, before), word, wordStart };
}

function contextOf(tokens: readonly IToken[], frames: Frame[], before: string): CursorContext {
  const last = tokens[tokens.length - 1];
  const top = innermost(frames);
  if (afterArrow(tokens, before)) return { kind: 'node-input', frames };
  if (top.kind === 'call') {
    if (is(last, LParen) || is(last, Comma)) return { kind: 'argument', frames };
    if (is(last, Colon) && top.arg !== null) return { kind: 'argument-value', key: top.arg, frames };
    return { kind: 'argument', frames };
  }
  if (top.kind === 'list') {
    const parent = frames[frames.length - 2];
    const key = top.key ?? '';
    if (parent?.kind === 'call') return { kind: 'argument-value', key: parent.arg ?? key, frames };
    return { kind: 'value', key, frames };
  }
  if (is(last, Colon) && is(tokens[tokens.length - 2], Identifier)) return { kind: 'value', key: tokens[tokens.length - 2]!.image, frames };
  if (is(last, Equals)) return { kind: 'item', frames };
  return { kind: 'item', frames };
}

/** After `<-`, or after `<- a, b,`, on the same line. */
function afterArrow(tokens: readonly IToken[], before: string): boolean {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (is(token, Arrow)) return !before.slice(token.startOffset).includes('\n') || isContinued(tokens, i);
    if (!is(token, Comma) && !is(token, Identifier)) return false;
    // `<- a b`: an identifier right after an identifier starts a new statement.
    if (is(token, Identifier) && is(tokens[i + 1], Identifier)) return false;
  }
  return false;
}

/** `<- a,` followed by a line break is still the same list of inputs. */
function isContinued(tokens: readonly IToken[], arrowIndex: number): boolean {
  const last = tokens[tokens.length - 1]!;
  return tokens.length - 1 > arrowIndex && is(last, Comma);
}
