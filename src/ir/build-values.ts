/**
 * Converts one written value to the type its option expects, reporting E0104 (unknown name in
 * an enum) or E0105 (wrong type). Returns undefined when the value cannot be used.
 */
import type { Value } from '../syntax/ast.js';
import { buildCall } from './build-call.js';
import { showValue, type BuildContext } from './build-context.js';
import { describeType, type ValueType } from './schema/types.js';
import { suggestName, type AliasDomain } from './aliases.js';

/** Says whose value this is in messages: "Option 'units' of dense", "'loss'". */
export type Owner = string;

export function convertValue(value: Value, type: ValueType, ctx: BuildContext, owner: Owner): unknown {
  const wrongType = (): undefined => {
    ctx.error('E0105', `${owner} expects ${describeType(type)}, got ${showValue(value)}.`, value.span, hintFor(value, type));
    return undefined;
  };
  switch (type.kind) {
    case 'int':
      return isInt(value) ? value.value : wrongType();
    case 'number':
      return value.kind === 'number' && Number.isFinite(value.value) ? value.value : wrongType();
    case 'bool':
      if (value.kind === 'ident' && (value.name === 'true' || value.name === 'false')) return value.name === 'true';
      return wrongType();
    case 'string':
      return value.kind === 'string' ? value.value : wrongType();
    case 'name':
      if (value.kind === 'string') return value.value;
      if (value.kind === 'ident') return value.name;
      return wrongType();
    case 'enum':
      return value.kind === 'ident' ? enumMember(value.name, value, type, ctx) : wrongType();
    case 'int_or_word':
      if (value.kind === 'ident' && value.name === type.word) return type.word;
      return isInt(value) ? value.value : wrongType();
    case 'int_pair':
      if (isInt(value)) return [value.value, value.value];
      if (value.kind === 'list' && value.items.length === 2 && value.items.every(isInt)) {
        return value.items.map((item) => (item as { value: number }).value);
      }
      return wrongType();
    case 'ints':
    case 'numbers':
    case 'names':
    case 'enums':
      return value.kind === 'list' ? convertList(value.items, type, ctx, owner) : wrongType();
    case 'call': {
      if (value.kind !== 'ident' && value.kind !== 'call') return wrongType();
      return buildCall(type.family, value, ctx) ?? undefined;
    }
  }
}

function convertList(items: Value[], type: ValueType & { kind: 'ints' | 'numbers' | 'names' | 'enums' }, ctx: BuildContext, owner: Owner): unknown[] | undefined {
  const itemType: ValueType =
    type.kind === 'ints'
      ? { kind: 'int' }
      : type.kind === 'numbers'
        ? { kind: 'number' }
        : type.kind === 'names'
          ? { kind: 'name' }
          : { kind: 'enum', of: type.of, values: type.values };
  const converted = items.map((item) => convertValue(item, itemType, ctx, `Each item of ${lowerFirst(owner)}`));
  return converted.every((item) => item !== undefined) ? converted : undefined;
}

function enumMember(name: string, value: Value, type: ValueType & { kind: 'enum' }, ctx: BuildContext): string | undefined {
  if (type.values.includes(name)) return name;
  ctx.error('E0104', `Unknown ${type.of} '${name}'.${suggestName(type.of as AliasDomain, name, type.values)}`, value.span, [`Expected one of: ${type.values.join(', ')}.`]);
  return undefined;
}

const isInt = (value: Value): value is Value & { kind: 'number' } =>
  value.kind === 'number' && Number.isSafeInteger(value.value);

const lowerFirst = (text: string): string => (text.startsWith('Option') ? `o${text.slice(1)}` : text);

/** A note for the common slips: quotes around a name, a bare word where a string is needed. */
function hintFor(value: Value, type: ValueType): string[] | undefined {
  if (value.kind === 'string' && (type.kind === 'enum' || type.kind === 'bool' || type.kind === 'call')) {
    return [`Write it without quotes: ${value.value}.`];
  }
  if (value.kind === 'string' && (type.kind === 'number' || type.kind === 'int' || type.kind === 'int_or_word') && value.value.trim() !== '' && Number.isFinite(Number(value.value))) {
    return [`Write numbers without quotes: ${value.value.trim()}.`];
  }
  if (value.kind === 'ident' && type.kind === 'string') return [`Strings are written in double quotes: "${value.name}".`];
  if (value.kind === 'number' && Number.isFinite(value.value) && type.kind === 'int') return ['Use a whole number.'];
  if (value.kind === 'number' && !Number.isFinite(value.value)) return ['The number is too large to represent.'];
  return undefined;
}
