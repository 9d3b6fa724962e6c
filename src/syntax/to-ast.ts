/**
 * CST -> AST. The CST may be partial (recovery leaves out or inserts tokens), so every child is
 * optional here: an item missing an essential part is left out (its error is already reported),
 * everything else is kept. Never throws on a CST the parser produced.
 */
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type { Span } from '../diagnostics/diagnostic.js';
import type {
  Argument,
  CallValue,
  Comment,
  Identifier,
  IdentValue,
  Item,
  ListValue,
  SpecFile,
  Statement,
  Value,
} from './ast.js';
import type { LineIndex } from './positions.js';
import { decodeStringLiteral } from './string-literal.js';

export function toAst(cst: CstNode | undefined, comments: readonly IToken[], source: string, lines: LineIndex): SpecFile {
  const builder = new AstBuilder(lines);
  return {
    items: cst ? builder.items(cst) : [],
    comments: comments.map((token): Comment => ({ text: token.image, span: builder.tokenSpan(token) })),
    span: lines.span(0, source.length),
  };
}

class AstBuilder {
  constructor(private readonly lines: LineIndex) {}

  /** Items of a `file` or `block` node. */
  items(node: CstNode): Item[] {
    return nodes(node, 'item')
      .map((item) => this.item(item))
      .filter((item): item is Item => item !== undefined);
  }

  private item(node: CstNode): Item | undefined {
    const head = realToken(tokens(node, 'head')[0]);
    if (!head) return undefined;
    const key = this.identifier(head);
    const span = this.nodeSpan(node);
    if (!span) return undefined;

    const propertyRest = nodes(node, 'propertyRest')[0];
    if (propertyRest) {
      const valueNode = nodes(propertyRest, 'value')[0];
      const value = valueNode && this.value(valueNode);
      return value ? { kind: 'property', key, value, span } : undefined;
    }
    const block = nodes(node, 'block')[0];
    if (block) return { kind: 'section', key, items: this.items(block), span };

    const named = nodes(node, 'namedStatementRest')[0];
    if (named) {
      const callee = realToken(tokens(named, 'callee')[0]);
      if (!callee) return undefined;
      const call = this.callOrIdent(callee, nodes(named, 'args')[0]);
      if (!call) return undefined;
      return this.statement(key, call, nodes(named, 'inputs')[0], span);
    }
    const callRest = nodes(node, 'callStatementRest')[0];
    if (callRest) {
      const call = this.callOrIdent(head, nodes(callRest, 'args')[0]);
      if (!call) return undefined;
      return this.statement(null, call, nodes(callRest, 'inputs')[0], span);
    }
    const bare: IdentValue = { kind: 'ident', name: head.image, span: key.span };
    return this.statement(null, bare, nodes(node, 'inputs')[0], span);
  }

  private statement(name: Identifier | null, call: CallValue | IdentValue, inputsNode: CstNode | undefined, span: Span): Statement {
    const refs = inputsNode ? tokens(inputsNode, 'ref').flatMap((token) => (realToken(token) ? [this.identifier(token)] : [])) : [];
    return { kind: 'statement', name, call, inputs: inputsNode ? refs : null, span };
  }

  private value(node: CstNode): Value | undefined {
    const number = realToken(tokens(node, 'NumberLiteral')[0]);
    if (number) return { kind: 'number', value: Number(number.image), text: number.image, span: this.tokenSpan(number) };
    const string = realToken(tokens(node, 'StringLiteral')[0]);
    if (string) {
      return { kind: 'string', value: decodeStringLiteral(string.image).value, text: string.image, span: this.tokenSpan(string) };
    }
    const list = nodes(node, 'list')[0];
    if (list) return this.list(list);
    const callOrIdent = nodes(node, 'callOrIdent')[0];
    if (callOrIdent) {
      const name = realToken(tokens(callOrIdent, 'Identifier')[0]);
      return name ? this.callOrIdent(name, nodes(callOrIdent, 'args')[0]) : undefined;
    }
    return undefined;
  }

  private list(node: CstNode): ListValue | undefined {
    const span = this.nodeSpan(node);
    if (!span) return undefined;
    const items = nodes(node, 'value')
      .map((value) => this.value(value))
      .filter((value): value is Value => value !== undefined);
    return { kind: 'list', items, span };
  }

  private callOrIdent(name: IToken, argsNode: CstNode | undefined): CallValue | IdentValue | undefined {
    const callee = this.identifier(name);
    if (!argsNode) return { kind: 'ident', name: callee.name, span: callee.span };
    const end = this.nodeSpan(argsNode)?.end ?? callee.span.end;
    const args = nodes(argsNode, 'arg')
      .map((arg) => this.argument(arg))
      .filter((arg): arg is Argument => arg !== undefined);
    return { kind: 'call', callee, args, span: { start: callee.span.start, end } };
  }

  private argument(node: CstNode): Argument | undefined {
    const span = this.nodeSpan(node);
    const valueNode = nodes(node, 'value')[0];
    const value = valueNode && this.value(valueNode);
    if (!span || !value) return undefined;
    const nameToken = realToken(tokens(node, 'name')[0]);
    return { name: nameToken ? this.identifier(nameToken) : null, value, span };
  }

  private identifier(token: IToken): Identifier {
    return { name: token.image, span: this.tokenSpan(token) };
  }

  tokenSpan(token: IToken): Span {
    return this.lines.span(token.startOffset, token.startOffset + token.image.length);
  }

  /** From the first to the last real token under `node`; undefined when it has none. */
  private nodeSpan(node: CstNode): Span | undefined {
    const first = edgeToken(node, 'first');
    const last = edgeToken(node, 'last');
    if (!first || !last) return undefined;
    return this.lines.span(first.startOffset, last.startOffset + last.image.length);
  }
}

/**
 * The first (or last) real token under `node`. Children are grouped by name, each group in
 * source order, so only the ends of each group need looking at.
 */
function edgeToken(node: CstNode, edge: 'first' | 'last'): IToken | undefined {
  let best: IToken | undefined;
  for (const children of Object.values(node.children)) {
    const ordered = edge === 'first' ? children : [...children].reverse();
    for (const child of ordered) {
      const token = isNode(child) ? edgeToken(child, edge) : realToken(child);
      if (!token) continue;
      const better = !best || (edge === 'first' ? token.startOffset < best.startOffset : token.startOffset > best.startOffset);
      if (better) best = token;
      break;
    }
  }
  return best;
}

function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter((child): child is CstNode => isNode(child));
}

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter((child): child is IToken => !isNode(child));
}

function isNode(element: CstElement): element is CstNode {
  return (element as CstNode).children !== undefined;
}

function realToken(token: IToken | undefined): IToken | undefined {
  return token && !token.isInsertedInRecovery && !Number.isNaN(token.startOffset) ? token : undefined;
}
