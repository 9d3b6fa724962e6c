/**
 * The generic syntax tree produced by the parser (grammar/ holds tokens and the CST parser;
 * src/syntax/to-ast.ts turns the CST into this). The language is regular: a file is a list of
 * items, a block is a list of items, and every item is one of three shapes:
 *
 *   key: value                 property      e.g.  loss: mse
 *   key { item* }              section       e.g.  train { epochs: 100 }
 *   [name =] call [<- a, b]    statement     e.g.  h = dense(64, activation: relu) <- x
 *
 * Values are numbers, strings, identifiers, lists `[v, ...]` and calls `name(arg, key: arg)`.
 * A call without parentheses (`flatten`, `relu`) is an identifier; the IR builder decides
 * what an identifier means where it appears. Nothing after the IR builder reads this tree.
 */
import type { Span } from '../diagnostics/diagnostic.js';

export interface Identifier {
  name: string;
  span: Span;
}

export type Value = NumberValue | StringValue | IdentValue | ListValue | CallValue;

export interface NumberValue {
  kind: 'number';
  value: number;
  /** The literal as written, e.g. `1e-3`; used by `fmt` to keep the author's spelling. */
  text: string;
  span: Span;
}

export interface StringValue {
  kind: 'string';
  value: string;
  text: string;
  span: Span;
}

export interface IdentValue {
  kind: 'ident';
  name: string;
  span: Span;
}

export interface ListValue {
  kind: 'list';
  items: Value[];
  span: Span;
}

export interface CallValue {
  kind: 'call';
  callee: Identifier;
  args: Argument[];
  span: Span;
}

/** A positional (`64`) or named (`activation: relu`) argument of a call. */
export interface Argument {
  name: Identifier | null;
  value: Value;
  span: Span;
}

export type Item = Property | Section | Statement;

export interface Property {
  kind: 'property';
  key: Identifier;
  value: Value;
  span: Span;
}

export interface Section {
  kind: 'section';
  key: Identifier;
  items: Item[];
  span: Span;
}

/** A layer statement in a model block: `[name =] call [<- input, ...]`. */
export interface Statement {
  kind: 'statement';
  name: Identifier | null;
  call: CallValue | IdentValue;
  inputs: Identifier[] | null;
  span: Span;
}

export interface Comment {
  text: string;
  span: Span;
}

export interface SpecFile {
  items: Item[];
  /** Comments in source order, kept for `fmt`. */
  comments: Comment[];
  span: Span;
}
