/**
 * Hover: the documentation of the name under the cursor, from the option schemas (the same text
 * as docs/language.md): a layer, loss, optimizer, schedule or other call with its options; an
 * option with its type and default; a section or property. On a model node, its inferred output
 * shape and parameter count.
 */
import type { IToken } from 'chevrotain';
import { tokenMatcher } from 'chevrotain';
import { Colon, Identifier, LParen, mlspecLexer } from '../../grammar/tokens.js';
import type { Span } from '../diagnostics/diagnostic.js';
import { topLevelEntries, type CallSchema, type OptionSchema } from '../ir/schema/index.js';
import type { Analysis } from './analysis.js';
import { cursorAt, enclosingSection, type Frame } from './cursor-context.js';
import { modelSection } from './model-names.js';
import { callSchemaOf, familyOfKey, optionOfKey, optionSummary } from './schema-lookup.js';

export interface HoverResult {
  markdown: string;
  /** The offsets of the word the hover is about. */
  start: number;
  end: number;
}

function callDoc(schema: CallSchema, family: string): string {
  const options = schema.options.map((o) => `- \`${o.name}\`: ${optionSummary(o)}. ${o.doc}`).join('\n');
  return `**${schema.name}** (${family})\n\n${schema.doc}${options ? `\n\n${options}` : ''}`;
}

function optionDoc(option: OptionSchema): string {
  return `**${option.name}**: ${optionSummary(option)}\n\n${option.doc}`;
}

/** The identifier token at `offset`, if any. */
function identifierAt(text: string, offset: number): { token: IToken; next: IToken | undefined } | null {
  const tokens = mlspecLexer.tokenize(text).tokens;
  const index = tokens.findIndex((t) => t.startOffset <= offset && offset <= t.startOffset + t.image.length && tokenMatcher(t, Identifier));
  if (index < 0) return null;
  return { token: tokens[index]!, next: tokens[index + 1] };
}

/** "[4] -> 3 units, 51 parameters" for the model node whose statement holds `offset`. */
function nodeShapeDoc(analysis: Analysis, offset: number): string | null {
  const model = analysis.ir?.model;
  if (!model || !analysis.shapes) return null;
  const inside = (span: Span) => span.start.offset <= offset && offset <= span.end.offset;
  const node = model.nodes.find((n) => inside(n.span));
  if (!node) return null;
  const shape = analysis.shapes.shapes.get(node.name);
  if (!shape) return null;
  const params = analysis.shapes.params.get(node.name) ?? 0;
  return `\`${node.name}\`: output shape [${['batch', ...shape].join(', ')}], ${params.toLocaleString('en-US')} parameter${params === 1 ? '' : 's'}`;
}

export function hoverAt(analysis: Analysis, offset: number): HoverResult | null {
  const found = identifierAt(analysis.text, offset);
  if (!found) return null;
  const { token, next } = found;
  const name = token.image;
  const start = token.startOffset;
  const end = start + name.length;
  const frames: Frame[] = cursorAt(analysis.text, start).context.frames;
  const parts: string[] = [];
  const followedBy = (type: Parameters<typeof tokenMatcher>[1]) => next !== undefined && tokenMatcher(next, type);

  if (followedBy(Colon)) {
    // A key: an option of a call or section, or a top-level property.
    const option = optionOfKey(name, frames);
    const entry = enclosingSection(frames) === '' ? topLevelEntries.find((e) => e.name === name) : undefined;
    if (option) parts.push(optionDoc(option));
    else if (entry) parts.push(`**${entry.name}**\n\n${entry.doc}`);
  } else {
    const context = cursorAt(analysis.text, start).context;
    const valueKey = context.kind === 'value' || context.kind === 'argument-value' ? context.key : null;
    const family = valueKey ? familyOfKey(valueKey, frames) : null;
    const call = callSchemaOf(name, family ? frames.filter((f) => f.kind !== 'section' || f.name !== 'model') : frames);
    const isCallee = followedBy(LParen) || family !== null || enclosingSection(frames) === 'model';
    if (call && isCallee) parts.push(callDoc(call.schema, call.family));
    else if (!followedBy(LParen)) {
      const section = topLevelEntries.find((e) => e.name === name && e.shape === 'section');
      if (section && enclosingSection(frames) === '') parts.push(`**${section.name}**\n\n${section.doc}`);
    }
  }
  if (modelSection(analysis.ast)) {
    const shape = nodeShapeDoc(analysis, offset);
    if (shape) parts.push(shape);
  }
  return parts.length === 0 ? null : { markdown: parts.join('\n\n---\n\n'), start, end };
}
