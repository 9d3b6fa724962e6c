/**
 * Completion: what may be written at the cursor, from the option schemas. Section and property
 * names at the start of an item, layer kinds (as snippets with their required options) in the
 * model, option names inside a call, enum values and call names after `key:`, earlier node
 * names after `<-`, and a CSV file's column names inside `csv(...)`.
 */
import * as path from 'node:path';
import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { callSchemas, layerSchemas, topLevelEntries, type CallSchema, type OptionSchema } from '../ir/schema/index.js';
import type { Analysis } from './analysis.js';
import { csvHeader } from './csv-header.js';
import { cursorAt, enclosingSection, innermost, type Frame } from './cursor-context.js';
import { nameOccurrences } from './model-names.js';
import { callSchemaOf, familyOfKey, optionOfKey, optionsHere, optionSummary, sectionsHere, valuesOfType } from './schema-lookup.js';

/** `dense(${1:units})`: a call with a placeholder per required option, or the bare name when none is required. */
export function callSnippet(schema: CallSchema): string {
  const required = schema.options.filter((o) => 'required' in o.default);
  if (required.length === 0) return schema.options.length === 0 ? schema.name : `${schema.name}($0)`;
  const args = required.map((o, i) => (schema.positional.includes(o.name) ? `\${${i + 1}:${o.name}}` : `${o.name}: \${${i + 1}}`));
  return `${schema.name}(${args.join(', ')})`;
}

function callItem(schema: CallSchema, kind: CompletionItemKind): CompletionItem {
  return {
    label: schema.name,
    kind,
    detail: callSnippet(schema).replace(/\$\{\d+:?([^}]*)\}|\$0/g, '$1'),
    documentation: schema.doc,
    insertText: callSnippet(schema),
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

function optionItem(option: OptionSchema, separator: string): CompletionItem {
  return { label: option.name, kind: CompletionItemKind.Property, detail: optionSummary(option), documentation: option.doc, insertText: `${option.name}${separator}` };
}

const plainItems = (names: readonly string[], kind: CompletionItemKind, detail?: string): CompletionItem[] =>
  names.map((label) => ({ label, kind, ...(detail ? { detail } : {}) }));

function itemCompletions(frames: Frame[]): CompletionItem[] {
  const section = enclosingSection(frames);
  if (section === '') {
    return topLevelEntries.map((entry) =>
      entry.shape === 'section'
        ? { label: entry.name, kind: CompletionItemKind.Module, documentation: entry.doc, insertText: `${entry.name} {\n\t$0\n}`, insertTextFormat: InsertTextFormat.Snippet }
        : { label: entry.name, kind: CompletionItemKind.Property, documentation: entry.doc, insertText: `${entry.name}: ` },
    );
  }
  if (section === 'model') {
    return [
      ...Object.values(layerSchemas).map((schema) => callItem(schema, CompletionItemKind.Class)),
      { label: 'output', kind: CompletionItemKind.Property, documentation: 'The model output node(s); by default the last node.', insertText: 'output: ' },
    ];
  }
  return [
    ...optionsHere(frames).map((o) => optionItem(o, ': ')),
    ...sectionsHere(frames).map((s) => ({ label: s.name, kind: CompletionItemKind.Module, documentation: s.doc, insertText: `${s.name} {\n\t$0\n}`, insertTextFormat: InsertTextFormat.Snippet })),
  ];
}

/** Values of `key` (a property, a section option or a call's option). */
function valueCompletions(key: string, frames: Frame[], analysis: Analysis): CompletionItem[] {
  const family = familyOfKey(key, frames);
  if (family) return Object.values(callSchemas[family]).map((schema) => callItem(schema, CompletionItemKind.Function));
  const top = innermost(frames);
  const call = top.kind === 'call' ? top : frames.length >= 2 && top.kind === 'list' ? frames[frames.length - 2] : undefined;
  if (call?.kind === 'call' && call.callee === 'csv' && (key === 'label' || key === 'features') && call.strings[0] !== undefined) {
    const columns = csvHeader(call.strings[0], path.dirname(analysis.file));
    if (columns) return plainItems(columns, CompletionItemKind.Field, `column of ${call.strings[0]}`);
  }
  const option = optionOfKey(key, frames);
  if (!option) return [];
  return plainItems(valuesOfType(option.type, option.name), CompletionItemKind.EnumMember, option.type.kind === 'enum' || option.type.kind === 'enums' ? option.type.of : undefined);
}

function nodeCompletions(analysis: Analysis, offset: number): CompletionItem[] {
  // A node cannot take itself as input: leave out the name this line defines (`y = dense(3) <- |`).
  const lineStart = analysis.text.lastIndexOf('\n', offset - 1) + 1;
  const own = /^\s*([A-Za-z_]\w*)\s*=/.exec(analysis.text.slice(lineStart, offset))?.[1];
  const defined = nameOccurrences(analysis.ast).filter((o) => o.definition && o.span.end.offset <= offset && o.name !== own);
  return plainItems([...new Set(defined.map((o) => o.name))], CompletionItemKind.Variable, 'model node');
}

/** The completions at `offset`, filtered by the word being typed (clients filter again). */
export function completionsAt(analysis: Analysis, offset: number): CompletionItem[] {
  const { context, word } = cursorAt(analysis.text, offset);
  let items: CompletionItem[];
  switch (context.kind) {
    case 'item':
      items = itemCompletions(context.frames);
      break;
    case 'value':
    case 'argument-value':
      items = valueCompletions(context.key, context.frames, analysis);
      break;
    case 'argument': {
      const top = innermost(context.frames);
      const schema = top.kind === 'call' ? callSchemaOf(top.callee, context.frames)?.schema : undefined;
      items = (schema?.options ?? []).map((o) => optionItem(o, ': '));
      break;
    }
    case 'node-input':
      items = nodeCompletions(analysis, offset);
      break;
  }
  const prefix = word.toLowerCase();
  return prefix === '' ? items : items.filter((item) => item.label.toLowerCase().startsWith(prefix));
}
