/**
 * Reads a `key { ... }` section (data, split, train) against its schema: written options are
 * converted, the rest defaulted; nested sections become objects with their own span and spans.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Item } from '../syntax/ast.js';
import { fillDefaults, inSchemaOrder } from './build-call.js';
import type { BuildContext } from './build-context.js';
import { convertValue } from './build-values.js';
import type { SectionSchema } from './schema/types.js';
import { aliasHint } from './aliases.js';
import { closestName } from './suggest.js';

export interface BuiltSection {
  values: Record<string, unknown>;
  spans: Record<string, Span>;
  span: Span;
  /** False when a required option is missing or unusable (already reported). */
  complete: boolean;
}

export function readSection(items: readonly Item[], span: Span, schema: SectionSchema, ctx: BuildContext): BuiltSection {
  const values: Record<string, unknown> = {};
  const spans: Record<string, Span> = {};
  const written = new Set<string>();
  const known = [...schema.options.map((o) => o.name), ...schema.sections.map((s) => s.name)];
  let complete = true;
  const suggested = new Set<string>();

  for (const item of items) {
    if (item.kind === 'statement') {
      ctx.error('E0110', `The ${schema.name} section holds key: value entries; layer statements belong in the model section.`, item.span);
      continue;
    }
    const name = item.key.name;
    const option = schema.options.find((o) => o.name === name);
    const nested = schema.sections.find((s) => s.name === name);
    if (!option && !nested) {
      const alias = aliasHint('option', name, schema.name);
      const match = alias ? null : closestName(name, known);
      if (match) suggested.add(match);
      ctx.error('E0102', `The ${schema.name} section has no option '${name}'.${alias || (match ? ` Did you mean '${match}'?` : '')}`, item.key.span, [
        `Options of ${schema.name}: ${known.join(', ')}.`,
      ]);
      continue;
    }
    if (written.has(name)) {
      ctx.error('E0107', `'${name}' is given more than once in the ${schema.name} section.`, item.key.span);
      continue;
    }
    written.add(name);
    if (option) {
      if (item.kind === 'section') {
        ctx.error('E0110', `'${name}' is an option of ${schema.name}: write ${name}: value.`, item.key.span);
        continue;
      }
      const converted = convertValue(item.value, option.type, ctx, `Option '${name}' of the ${schema.name} section`);
      if (converted !== undefined) {
        values[name] = converted;
        spans[name] = item.value.span;
      }
    } else if (nested) {
      if (item.kind !== 'section') {
        ctx.error('E0110', `'${name}' is a section of ${schema.name}: write ${name} { ... }.`, item.key.span);
        continue;
      }
      const inner = readSection(item.items, item.span, nested, ctx);
      complete &&= inner.complete;
      values[name] = { ...inner.values, span: inner.span, spans: inner.spans };
      spans[name] = item.span;
    }
  }

  // Nested sections that were not written take their defaults, at the parent's span.
  for (const nested of schema.sections) {
    if (nested.name in values) continue;
    const inner = readSection([], span, nested, ctx);
    values[nested.name] = { ...inner.values, span: inner.span, spans: inner.spans };
  }
  complete =
    fillDefaults(schema, values, written, ctx, span, (option) =>
      suggested.has(option.name) ? undefined : ctx.error('E0106', `The ${schema.name} section needs '${option.name}' (${option.doc.replace(/\.$/, '').toLowerCase()}).`, span),
    ) && complete;
  const nestedValues = Object.fromEntries(schema.sections.map((s) => [s.name, values[s.name]]));
  return { values: { ...inSchemaOrder(schema.options, values), ...nestedValues }, spans, span, complete };
}
