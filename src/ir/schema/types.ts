/**
 * The shape of the option schemas: every call (layer, data source, loss, optimizer, clip,
 * schedule, stop rule) and every section is described as data, so that the IR builder, the
 * domain check, did-you-mean suggestions and docs/language.md all read the same tables.
 */

/** Families of calls that may appear as a value (`loss: mse`, `then: cosine(steps: 10)`). */
export type CallFamily = 'layer' | 'source' | 'loss' | 'optimizer' | 'clip' | 'schedule' | 'stop';

export type ValueType =
  | { kind: 'int' }
  | { kind: 'number' }
  | { kind: 'bool' }
  /** A string literal, e.g. a file path. */
  | { kind: 'string' }
  /** A name written as an identifier or a string, e.g. a column name or a monitored metric. */
  | { kind: 'name' }
  /** One identifier out of `values`; `of` names the set in messages ("activation"). */
  | { kind: 'enum'; of: string; values: readonly string[] }
  | { kind: 'ints' }
  | { kind: 'numbers' }
  | { kind: 'names' }
  | { kind: 'enums'; of: string; values: readonly string[] }
  /** An integer, or a list of two integers; a scalar n stands for [n, n]. */
  | { kind: 'int_pair' }
  /** An integer, or the identifier `word` (e.g. `batch: full`). */
  | { kind: 'int_or_word'; word: string }
  /** A call of another family, e.g. a nested schedule. */
  | { kind: 'call'; family: CallFamily };

/** Allowed range of a number (for lists: of each item). */
export interface Domain {
  min?: number;
  max?: number;
  /** The bound itself is excluded: (min, ...] rather than [min, ...]. */
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

export type DefaultValue =
  | { required: true }
  /** A fixed default; `null` means "not set" where the IR allows it. */
  | { value: unknown }
  /** Computed from the other options by the call's `derive` hook; `text` documents it. */
  | { derived: string };

export interface OptionSchema {
  name: string;
  type: ValueType;
  default: DefaultValue;
  domain?: Domain;
  doc: string;
}

export interface CallSchema {
  name: string;
  doc: string;
  options: OptionSchema[];
  /** Option names in the order positional arguments fill them. */
  positional: string[];
  /** Fills the options whose default is `derived`, after the written ones and the fixed defaults. */
  derive?: (config: Record<string, unknown>) => void;
}

export interface SectionSchema {
  name: string;
  doc: string;
  /** `key: value` entries. */
  options: OptionSchema[];
  /** Nested `key { ... }` sections. */
  sections: SectionSchema[];
  derive?: (config: Record<string, unknown>) => void;
}

export const required: DefaultValue = { required: true };
export const byDefault = (value: unknown): DefaultValue => ({ value });
export const derived = (text: string): DefaultValue => ({ derived: text });

export const positive: Domain = { min: 0, minExclusive: true };
export const nonNegative: Domain = { min: 0 };
export const atLeastOne: Domain = { min: 1 };
/** [0, 1) */
export const fraction: Domain = { min: 0, max: 1, maxExclusive: true };
/** [0, 1] */
export const ratio: Domain = { min: 0, max: 1 };
/** (0, 1) */
export const openUnit: Domain = { min: 0, max: 1, minExclusive: true, maxExclusive: true };

export function inDomain(value: number, domain: Domain): boolean {
  if (domain.min !== undefined && (domain.minExclusive ? value <= domain.min : value < domain.min)) return false;
  if (domain.max !== undefined && (domain.maxExclusive ? value >= domain.max : value > domain.max)) return false;
  return true;
}

/** "> 0", ">= 1", "in [0, 1)". */
export function describeDomain(domain: Domain): string {
  const { min, max } = domain;
  if (min !== undefined && max !== undefined) {
    return `in ${domain.minExclusive ? '(' : '['}${min}, ${max}${domain.maxExclusive ? ')' : ']'}`;
  }
  if (min !== undefined) return `${domain.minExclusive ? '>' : '>='} ${min}`;
  if (max !== undefined) return `${domain.maxExclusive ? '<' : '<='} ${max}`;
  return 'any number';
}

const familyNouns: Record<CallFamily, string> = {
  layer: 'a layer',
  source: 'a data source such as csv(...)',
  loss: 'a loss such as mse',
  optimizer: 'an optimizer such as adam(lr: 0.001)',
  clip: 'a clipping rule such as norm(1.0)',
  schedule: 'a schedule such as cosine(steps: 1000)',
  stop: 'a stop rule such as early(patience: 5)',
};

/** The noun phrase used in "expects ..., got ..." messages and in the docs. */
export function describeType(type: ValueType): string {
  switch (type.kind) {
    case 'int':
      return 'an integer';
    case 'number':
      return 'a number';
    case 'bool':
      return 'true or false';
    case 'string':
      return 'a string';
    case 'name':
      return 'a name or a string';
    case 'enum':
      return type.values.length <= 4 ? `one of ${type.values.join(', ')}` : `${article(type.of)} ${type.of} name`;
    case 'ints':
      return 'a list of integers';
    case 'numbers':
      return 'a list of numbers';
    case 'names':
      return 'a list of names';
    case 'enums':
      return `a list of ${type.of} names`;
    case 'int_pair':
      return 'an integer or a list of two integers';
    case 'int_or_word':
      return `an integer or ${type.word}`;
    case 'call':
      return familyNouns[type.family];
  }
}

const article = (noun: string): string => (/^[aeiou]/.test(noun) ? 'an' : 'a');

/** How a default is shown in docs and the summary: `0.001`, `relu`, `[]`, `required`. */
export function describeDefault(option: OptionSchema): string {
  const d = option.default;
  if ('required' in d) return 'required';
  if ('derived' in d) return d.derived;
  return formatLiteral(d.value);
}

export function formatLiteral(value: unknown): string {
  if (value === null) return 'not set';
  if (Array.isArray(value)) return `[${value.map(formatLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null && 'kind' in value) return String((value as { kind: unknown }).kind);
  return String(value);
}
