/** The outline (sections, properties and model nodes) and the folding ranges of a document. */
import { SymbolKind, type DocumentSymbol, type FoldingRange } from 'vscode-languageserver';
import type { Span } from '../diagnostics/diagnostic.js';
import type { Item, SpecFile } from '../syntax/ast.js';

export type RangeOf = (span: Span) => DocumentSymbol['range'];

function symbolOf(item: Item, rangeOf: RangeOf): DocumentSymbol | null {
  switch (item.kind) {
    case 'section':
      return {
        name: item.key.name,
        kind: SymbolKind.Namespace,
        range: rangeOf(item.span),
        selectionRange: rangeOf(item.key.span),
        children: item.items.map((child) => symbolOf(child, rangeOf)).filter((s): s is DocumentSymbol => s !== null),
      };
    case 'property':
      return { name: item.key.name, kind: SymbolKind.Property, range: rangeOf(item.span), selectionRange: rangeOf(item.key.span) };
    case 'statement': {
      const callee = item.call.kind === 'call' ? item.call.callee : { name: item.call.name, span: item.call.span };
      const name = item.name ? `${item.name.name} = ${callee.name}` : callee.name;
      return { name, kind: SymbolKind.Object, range: rangeOf(item.span), selectionRange: rangeOf(item.name?.span ?? callee.span) };
    }
  }
}

export function documentSymbols(ast: SpecFile, rangeOf: RangeOf): DocumentSymbol[] {
  return ast.items.map((item) => symbolOf(item, rangeOf)).filter((s): s is DocumentSymbol => s !== null);
}

/** A folding range for every section that spans lines, and for each run of comment lines. */
export function foldingRanges(ast: SpecFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const visit = (items: readonly Item[]) => {
    for (const item of items) {
      if (item.kind !== 'section') continue;
      if (item.span.end.line > item.span.start.line) ranges.push({ startLine: item.span.start.line - 1, endLine: item.span.end.line - 1 });
      visit(item.items);
    }
  };
  visit(ast.items);
  let run: { start: number; end: number } | null = null;
  const flush = () => {
    if (run && run.end > run.start) ranges.push({ startLine: run.start - 1, endLine: run.end - 1, kind: 'comment' });
    run = null;
  };
  for (const comment of ast.comments) {
    const line = comment.span.start.line;
    if (run && line === run.end + 1) run.end = line;
    else {
      flush();
      run = { start: line, end: line };
    }
  }
  flush();
  return ranges;
}
