/**
 * `formatSpec`: the `mlspec fmt` engine. One canonical layout (docs/syntax.md, "Layout"):
 * 2-space indentation, one item per line, top-level sections multi-line, short comment-free
 * nested sections of properties on one line, blank lines between items kept (collapsed to one),
 * every comment kept. A file with syntax errors is returned unchanged.
 */
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Section } from './ast.js';
import { layoutFile, type ItemUnit, type Unit } from './format-layout.js';
import { printProperty, printStatement } from './format-values.js';
import { parse } from './parse.js';

const indentUnit = '  ';
const maxWidth = 80;

export interface FormatResult {
  output: string;
  diagnostics: Diagnostic[];
}

export function formatSpec(source: string, file: string): FormatResult {
  const { ast, diagnostics } = parse(source, file);
  if (hasErrors(diagnostics)) return { output: source, diagnostics };
  const lines = printUnits(layoutFile(ast.items, ast.comments, source), 0);
  return { output: lines.length === 0 ? '' : `${lines.join('\n')}\n`, diagnostics };
}

function printUnits(units: readonly Unit[], depth: number): string[] {
  const indent = indentUnit.repeat(depth);
  const lines: string[] = [];
  for (const unit of units) {
    if (unit.blankBefore) lines.push('');
    if (unit.kind === 'comment') lines.push(indent + unit.text);
    else lines.push(...printItem(unit, depth));
  }
  return lines;
}

function printItem(unit: ItemUnit, depth: number): string[] {
  const indent = indentUnit.repeat(depth);
  const withTrailing = (line: string, comment: string | undefined) => (comment === undefined ? line : `${line} ${comment}`);
  const item = unit.item;
  if (item.kind === 'property') return [withTrailing(indent + printProperty(item), unit.trailing)];
  if (item.kind === 'statement') return [withTrailing(indent + printStatement(item), unit.trailing)];
  const oneLine = depth > 0 ? oneLineSection(item, unit, indent) : undefined;
  if (oneLine !== undefined) return [withTrailing(oneLine, unit.trailing)];
  return [
    withTrailing(`${indent}${item.key.name} {`, unit.header),
    ...printUnits(unit.body ?? [], depth + 1),
    withTrailing(`${indent}}`, unit.trailing),
  ];
}

/** `key { a: 1, b: 2 }` for a nested section of properties without comments that fits in 80 columns. */
function oneLineSection(section: Section, unit: ItemUnit, indent: string): string | undefined {
  if (unit.hasInnerComments || unit.header !== undefined) return undefined;
  const properties = section.items.flatMap((item) => (item.kind === 'property' ? [printProperty(item)] : []));
  if (properties.length !== section.items.length) return undefined;
  const line = properties.length === 0 ? `${indent}${section.key.name} {}` : `${indent}${section.key.name} { ${properties.join(', ')} }`;
  return line.length <= maxWidth ? line : undefined;
}
