/**
 * Builds a call (`dense(64, activation: relu)`, `adam(lr: 0.01)`, or a bare `mse`) of a family
 * into an IR object `{ kind, ...options, span, spans }` using the family's schema.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Argument, CallValue, IdentValue } from '../syntax/ast.js';
import type { BuildContext } from './build-context.js';
import { convertValue } from './build-values.js';
import { callSchemas, familyNames, familyPlurals, findCallSchema } from './schema/index.js';
import type { CallFamily, CallSchema, OptionSchema } from './schema/types.js';
import { aliasHint, suggestName } from './aliases.js';
import { closestName } from './suggest.js';

export interface BuiltCall {
  kind: string;
  span: Span;
  spans: Record<string, Span>;
  [option: string]: unknown;
}

/** Returns null when the call is unknown or lacks a required option (already reported). */
export function buildCall(family: CallFamily, value: CallValue | IdentValue, ctx: BuildContext): BuiltCall | null {
  const name = value.kind === 'call' ? value.callee.name : value.name;
  const nameSpan = value.kind === 'call' ? value.callee.span : value.span;
  const schema = findCallSchema(family, name);
  if (!schema) {
    const known = Object.keys(callSchemas[family]);
    ctx.error(family === 'layer' ? 'E0103' : 'E0104', `Unknown ${familyNames[family]} '${name}'.${suggestName(family, name, known)}`, nameSpan, [
      `Known ${familyPlurals[family]}: ${known.join(', ')}.`,
    ]);
    return null;
  }
  const args = value.kind === 'call' ? value.args : [];
  const { config, spans, complete } = applyArguments(schema, args, ctx, value.span);
  if (!complete) return null;
  return { kind: schema.name, ...inSchemaOrder(schema.options, config), span: value.span, spans };
}

/** The config with its keys in the schema's order, whatever order the author wrote them in. */
export function inSchemaOrder(options: readonly OptionSchema[], config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(options.filter((o) => o.name in config).map((o) => [o.name, config[o.name]]));
}

function applyArguments(
  schema: CallSchema,
  args: readonly Argument[],
  ctx: BuildContext,
  callSpan: Span,
): { config: Record<string, unknown>; spans: Record<string, Span>; complete: boolean } {
  const config: Record<string, unknown> = {};
  const spans: Record<string, Span> = {};
  const written = new Set<string>();
  let seenNamed = false;
  let positionalCount = 0;
  let reportedExtra = false;
  // A misspelled required option (`unit: 8`) is reported once, as unknown, not also as missing.
  const suggested = new Set<string>();

  for (const arg of args) {
    let option: OptionSchema | undefined;
    if (arg.name === null) {
      if (seenNamed) {
        ctx.error('E0108', `A positional argument follows a named one in ${schema.name}(...); name it or move it before the named arguments.`, arg.span);
        // Still read it as the next positional option not yet written, so it is not also reported as missing.
        const optionName = schema.positional.slice(positionalCount).find((name) => !written.has(name));
        option = schema.options.find((o) => o.name === optionName);
        if (!option) continue;
        written.add(option.name);
        const converted = convertValue(arg.value, option.type, ctx, `Option '${option.name}' of ${schema.name}`);
        if (converted !== undefined) {
          config[option.name] = converted;
          spans[option.name] = arg.value.span;
        }
        continue;
      }
      const optionName = schema.positional[positionalCount++];
      option = optionName === undefined ? undefined : schema.options.find((o) => o.name === optionName);
      if (!option) {
        if (!reportedExtra) ctx.error('E0109', tooManyPositional(schema, args), arg.span);
        reportedExtra = true;
        continue;
      }
    } else {
      seenNamed = true;
      const optionName = arg.name.name;
      option = schema.options.find((o) => o.name === optionName);
      if (!option) {
        const alias = aliasHint('option', optionName, schema.name);
        const match = alias ? null : closestName(optionName, schema.options.map((o) => o.name));
        if (match) suggested.add(match);
        ctx.error('E0102', `${schema.name} has no option '${optionName}'.${alias || (match ? ` Did you mean '${match}'?` : '')}`, arg.name.span, [
          schema.options.length === 0 ? `${schema.name} takes no options.` : `Options of ${schema.name}: ${schema.options.map((o) => o.name).join(', ')}.`,
        ]);
        continue;
      }
    }
    if (written.has(option.name)) {
      ctx.error('E0107', `Option '${option.name}' of ${schema.name} is given more than once.`, arg.span);
      continue;
    }
    written.add(option.name);
    const converted = convertValue(arg.value, option.type, ctx, `Option '${option.name}' of ${schema.name}`);
    if (converted !== undefined) {
      config[option.name] = converted;
      spans[option.name] = arg.value.span;
    }
  }
  const complete = fillDefaults(schema, config, written, ctx, callSpan, (option) =>
    suggested.has(option.name) ? undefined : ctx.error('E0106', `${schema.name} needs the option '${option.name}' (${option.doc.replace(/\.$/, '').toLowerCase()}).`, callSpan, [
      usageHint(schema),
    ]),
  );
  return { config, spans, complete };
}

/**
 * Fills fixed defaults, then derived ones. Returns false when a required option has no value;
 * `missing` reports options that were not written at all (a written but invalid value was
 * already reported).
 */
export function fillDefaults(
  schema: { options: readonly OptionSchema[]; derive?: (config: Record<string, unknown>) => void },
  config: Record<string, unknown>,
  written: ReadonlySet<string>,
  ctx: BuildContext,
  ownerSpan: Span,
  missing: (option: OptionSchema) => void,
): boolean {
  let complete = true;
  for (const option of schema.options) {
    if (option.name in config) continue;
    const fallback = option.default;
    if ('required' in fallback) {
      complete = false;
      if (!written.has(option.name)) missing(option);
    } else if ('value' in fallback) {
      config[option.name] = defaultValue(option, fallback.value, ctx, ownerSpan);
    }
  }
  schema.derive?.(config);
  return complete;
}

function defaultValue(option: OptionSchema, value: unknown, ctx: BuildContext, ownerSpan: Span): unknown {
  if (option.type.kind === 'call' && value !== null && typeof value === 'object' && 'kind' in value) {
    // A default call such as `then: constant` is built like a written one, at the owner's span.
    return buildCall(option.type.family, { kind: 'ident', name: String(value.kind), span: ownerSpan }, ctx);
  }
  return Array.isArray(value) ? [...value] : value;
}

function tooManyPositional(schema: CallSchema, args: readonly Argument[]): string {
  const count = args.filter((arg) => arg.name === null).length;
  if (schema.positional.length === 0) return `${schema.name} takes no positional arguments, got ${count}.`;
  const plural = schema.positional.length === 1 ? 'argument' : 'arguments';
  return `${schema.name} takes at most ${schema.positional.length} positional ${plural} (${schema.positional.join(', ')}), got ${count}.`;
}

function usageHint(schema: CallSchema): string {
  const required = schema.options.filter((o) => 'required' in o.default).map((o) => `${o.name}: ...`);
  return `Write it as ${schema.name}(${required.join(', ')}).`;
}
