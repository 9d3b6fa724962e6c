/**
 * `--set PATH=VALUE`: changes to a spec from the command line, applied to its text before it is
 * analysed, so that everything downstream (checks, the plan, the run folder's spec.mlspec and
 * hash) sees the effective spec, and a value that breaks a rule is reported like one written in
 * the file.
 *
 * PATH names a value the way the spec nests it:
 *   optimizer=adam(lr: 0.01)      a whole top-level property
 *   optimizer.lr=0.01             an option of the call a property holds (written or not)
 *   train.batch=64                a property of a section (added when absent)
 *   data.split.train=0.8          a nested section's property
 *   data.source.label=species     an option of a call inside a section
 *   model.dense_1.units=32        an option of a model node, by its name (written, or Keras-style
 *                                 `kind_n` for unnamed ones, as `mlspec check --summary` shows)
 * VALUE is written in the language's own value syntax (numbers, names, "strings", [lists],
 * calls). Unknown names get a did-you-mean; every problem is one sentence.
 */
import { buildIR } from '../ir/build.js';
import {
  callSchemas,
  dataSchema,
  findCallSchema,
  splitSchema,
  topLevelEntries,
  trainSchema,
  type CallFamily,
  type CallSchema,
  type SectionSchema,
} from '../ir/schema/index.js';
import { didYouMean } from '../ir/suggest.js';
import type { CallValue, IdentValue, Item, Property, Section, SpecFile, Value } from '../syntax/ast.js';
import { parse } from '../syntax/parse.js';

export interface Override {
  /** As written on the command line, for messages and the record of a run. */
  text: string;
  path: string[];
  value: string;
}

/** A --set that cannot be applied; the message is one sentence naming the override. */
export class OverrideError extends Error {
  constructor(override: Override | string, message: string) {
    super(`--set ${typeof override === 'string' ? override : override.text}: ${message}`);
    this.name = 'OverrideError';
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `PATH=VALUE`. */
export function parseOverride(text: string): Override {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new OverrideError(text, 'write PATH=VALUE, e.g. --set optimizer.lr=0.01.');
  const path = text.slice(0, eq).trim().split('.');
  const value = text.slice(eq + 1).trim();
  const bad = path.find((segment) => !NAME.test(segment));
  if (bad !== undefined) throw new OverrideError(text, `'${bad}' is not a name; a path is names joined by dots, e.g. train.batch.`);
  if (value === '') throw new OverrideError(text, 'the value is empty; write one after =, e.g. train.batch=64.');
  const probe = parse(`set: ${value}\n`, '--set');
  const item = probe.ast.items[0];
  if (probe.diagnostics.some((d) => d.severity === 'error') || probe.ast.items.length !== 1 || item?.kind !== 'property') {
    throw new OverrideError(text, `'${value}' is not a value of the language (a number, a name, a "string", a [list] or a call such as cosine(steps: 100)).`);
  }
  return { text, path, value };
}

const SECTION_SCHEMAS: Record<string, SectionSchema> = { data: dataSchema, split: splitSchema, train: trainSchema };

interface Edit {
  start: number;
  end: number;
  text: string;
}

const keyOf = (item: Item): string | null => (item.kind === 'statement' ? null : item.key.name);

function findItem(items: readonly Item[], name: string): Property | Section | undefined {
  return items.find((item): item is Property | Section => item.kind !== 'statement' && keyOf(item) === name);
}

/** The edit that sets option `name` of `call` (a call or a bare name such as `flatten`) to `value`. */
function setCallOption(override: Override, call: CallValue | IdentValue, schema: CallSchema, name: string, source: string): Edit {
  const option = schema.options.find((o) => o.name === name);
  if (!option) {
    const known = schema.options.map((o) => o.name);
    throw new OverrideError(override, `${schema.name} has no option '${name}'.${didYouMean(name, known) || ` Its options are: ${known.join(', ')}.`}`);
  }
  if (call.kind === 'ident') return { start: call.span.end.offset, end: call.span.end.offset, text: `(${name}: ${override.value})` };
  const named = call.args.find((a) => a.name?.name === name);
  if (named) return { start: named.value.span.start.offset, end: named.value.span.end.offset, text: override.value };
  const index = schema.positional.indexOf(name);
  const positional = call.args.filter((a) => a.name === null);
  if (index >= 0 && index < positional.length) {
    const arg = positional[index]!;
    return { start: arg.value.span.start.offset, end: arg.value.span.end.offset, text: override.value };
  }
  // Insert before the closing parenthesis.
  const close = call.span.end.offset - 1;
  const inside = source.slice(call.callee.span.end.offset, close);
  const empty = /^\(\s*$/.test(inside);
  return { start: close, end: close, text: `${empty ? '' : ', '}${name}: ${override.value}` };
}

/** The schema of the call `value` holds, where a property of this family holds it. */
function callOf(value: Value, family: CallFamily): { call: CallValue | IdentValue; schema: CallSchema } | null {
  if (value.kind !== 'call' && value.kind !== 'ident') return null;
  const name = value.kind === 'call' ? value.callee.name : value.name;
  const schema = findCallSchema(family, name);
  return schema ? { call: value, schema } : null;
}

function setInProperty(override: Override, property: Property, family: CallFamily | null, rest: string[], source: string): Edit {
  if (rest.length === 0) return { start: property.value.span.start.offset, end: property.value.span.end.offset, text: override.value };
  const found = family ? callOf(property.value, family) : null;
  if (!found) throw new OverrideError(override, `${property.key.name} holds no call with options, so '${rest.join('.')}' cannot be set; set ${property.key.name} itself.`);
  if (rest.length > 1) throw new OverrideError(override, `${found.schema.name}'s option '${rest[0]}' has no parts; stop the path there.`);
  return setCallOption(override, found.call, found.schema, rest[0]!, source);
}

function indentOf(source: string, offset: number): string {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(source.slice(lineStart))![0];
}

function setInSection(override: Override, section: Section, schema: SectionSchema, rest: string[], source: string): Edit {
  const [name, ...deeper] = rest;
  if (name === undefined) throw new OverrideError(override, `${section.key.name} is a section; name one of its entries, e.g. ${section.key.name}.${schema.options[0]?.name ?? 'x'}.`);
  const item = findItem(section.items, name);
  const option = schema.options.find((o) => o.name === name);
  const nested = schema.sections.find((s) => s.name === name);
  if (item?.kind === 'property') return setInProperty(override, item, option?.type.kind === 'call' ? option.type.family : null, deeper, source);
  if (item?.kind === 'section' && nested) return setInSection(override, item, nested, deeper, source);
  if (!option && !nested) {
    const known = [...schema.options.map((o) => o.name), ...schema.sections.map((s) => s.name)];
    throw new OverrideError(override, `the ${section.key.name} section has no entry '${name}'.${didYouMean(name, known) || ` It holds: ${known.join(', ')}.`}`);
  }
  // Absent: add it as the section's last entry.
  const close = section.span.end.offset - 1;
  const indent = `${indentOf(source, section.span.start.offset)}  `;
  const text = nested ? `${name} { ${deeper.length === 1 ? `${deeper[0]}: ${override.value}` : ''} }` : `${name}: ${override.value}`;
  if (nested && deeper.length !== 1) throw new OverrideError(override, `${section.key.name}.${name} is a section; name one of its entries.`);
  if (option && deeper.length > 0) throw new OverrideError(override, `${section.key.name}.${name} is not written in the spec; set it whole, e.g. --set ${section.key.name}.${name}=...`);
  const before = source.slice(0, close);
  const lineBreak = /\n[ \t]*$/.test(before) ? '' : '\n';
  return { start: close, end: close, text: `${lineBreak}${indent}${text}\n${indentOf(source, section.span.start.offset)}` };
}

function setInModel(override: Override, ast: SpecFile, model: Section, rest: string[], source: string): Edit {
  const [nodeName, option, ...deeper] = rest;
  const nodes = buildIR(ast, '--set').partial.model?.nodes ?? [];
  const names = nodes.map((n) => n.name);
  const node = nodes.find((n) => n.name === nodeName);
  if (nodeName === undefined || !node) {
    const hint = nodeName === undefined ? '' : didYouMean(nodeName, names);
    throw new OverrideError(override, `${nodeName === undefined ? 'name a node' : `the model has no node '${nodeName}'`}.${hint || ` Its nodes are: ${names.join(', ')}.`}`);
  }
  if (option === undefined) throw new OverrideError(override, `name an option of ${nodeName}, e.g. model.${nodeName}.${findCallSchema('layer', node.kind)?.options[0]?.name ?? 'units'}.`);
  if (deeper.length > 0) throw new OverrideError(override, `the option '${option}' of ${nodeName} has no parts; stop the path there.`);
  const statement = model.items.find((item) => item.kind === 'statement' && item.span.start.offset <= node.span.start.offset && node.span.end.offset <= item.span.end.offset);
  if (!statement || statement.kind !== 'statement') throw new OverrideError(override, `the node '${nodeName}' could not be found in the text.`);
  return setCallOption(override, statement.call, findCallSchema('layer', node.kind)!, option, source);
}

/** The edit for one override of `source`. */
function editFor(override: Override, ast: SpecFile, source: string): Edit {
  const [head, ...rest] = override.path as [string, ...string[]];
  const entry = topLevelEntries.find((e) => e.name === head);
  if (!entry) {
    const known = topLevelEntries.map((e) => e.name);
    throw new OverrideError(override, `a spec has no '${head}'.${didYouMean(head, known) || ` It holds: ${known.join(', ')}.`}`);
  }
  const item = findItem(ast.items, head);
  if (entry.shape === 'property') {
    if (item?.kind === 'property') return setInProperty(override, item, entry.family, rest, source);
    if (rest.length > 0) throw new OverrideError(override, `the spec has no ${head}; set it whole, e.g. --set ${head}=${Object.keys(callSchemas[entry.family])[0]}(...).`);
    const end = source.length;
    return { start: end, end, text: `${source.endsWith('\n') || end === 0 ? '' : '\n'}${head}: ${override.value}\n` };
  }
  if (item?.kind !== 'section') {
    if (head === 'train' && rest.length === 1) return { start: source.length, end: source.length, text: `${source.endsWith('\n') ? '' : '\n'}train {\n  ${rest[0]}: ${override.value}\n}\n` };
    throw new OverrideError(override, `the spec has no ${head} section to change.`);
  }
  if (head === 'model') return setInModel(override, ast, item, rest, source);
  return setInSection(override, item, SECTION_SCHEMAS[head]!, rest, source);
}

/**
 * The spec with every override applied in order (each sees the previous ones). Returns the
 * source unchanged when it has syntax errors: the normal pipeline reports them.
 */
export function applyOverrides(source: string, overrides: readonly Override[]): string {
  let text = source;
  for (const override of overrides) {
    const parsed = parse(text, '--set');
    if (parsed.diagnostics.some((d) => d.severity === 'error')) return text;
    const edit = editFor(override, parsed.ast, text);
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

/** The comment that heads a spec changed by --set, so the run folder's spec.mlspec says so. */
export function overridesComment(overrides: readonly Override[]): string {
  return overrides.length === 0 ? '' : `# with ${overrides.map((o) => `--set ${o.text}`).join(' ')}\n`;
}
