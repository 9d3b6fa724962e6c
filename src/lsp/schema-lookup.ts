/**
 * The option schemas (src/ir/schema/) seen from a cursor: which call or section the cursor is
 * in, what options it has, and what values an option takes. The language server's completion
 * and hover read the same tables as the IR builder and docs/language.md.
 */
import {
  callSchemas,
  dataSchema,
  findCallSchema,
  splitSchema,
  topLevelEntries,
  trainSchema,
  type CallFamily,
  type CallSchema,
  type OptionSchema,
  type SectionSchema,
  type ValueType,
} from '../ir/schema/index.js';
import { metricNames } from '../ir/schema/enums.js';
import { enclosingSection, type Frame } from './cursor-context.js';

const SECTIONS: Record<string, SectionSchema> = { data: dataSchema, split: splitSchema, train: trainSchema };

/** The families searched for a callee outside the model, most likely first. */
const VALUE_FAMILIES: CallFamily[] = ['source', 'optimizer', 'loss', 'schedule', 'clip', 'stop', 'layer'];

/** The family a value of `key` belongs to where it is a call (`loss: ...`, `then: ...`), else null. */
export function familyOfKey(key: string, frames: readonly Frame[]): CallFamily | null {
  const top = topLevelEntries.find((e) => e.name === key && e.shape === 'property');
  if (top && top.shape === 'property' && enclosingSection(frames) === '') return top.family;
  const option = optionOfKey(key, frames);
  return option?.type.kind === 'call' ? option.type.family : null;
}

/** The schema of the call `callee` in the frames around it (a layer inside `model`). */
export function callSchemaOf(callee: string, frames: readonly Frame[]): { family: CallFamily; schema: CallSchema } | null {
  const families: CallFamily[] = enclosingSection(frames) === 'model' && frames.every((f) => f.kind !== 'call' || f.callee === callee) ? ['layer', ...VALUE_FAMILIES] : VALUE_FAMILIES;
  for (const family of families) {
    const schema = findCallSchema(family, callee);
    if (schema) return { family, schema };
  }
  return null;
}

/** The options available where the cursor is (of the innermost call or section). */
export function optionsHere(frames: readonly Frame[]): OptionSchema[] {
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (frame.kind === 'call') return callSchemaOf(frame.callee, frames.slice(0, i + 1))?.schema.options ?? [];
    if (frame.kind === 'section') return SECTIONS[frame.name]?.options ?? [];
  }
  return [];
}

/** The nested sections allowed in the innermost section. */
export function sectionsHere(frames: readonly Frame[]): SectionSchema[] {
  const name = enclosingSection(frames);
  return SECTIONS[name]?.sections ?? [];
}

/** The schema of option `key` where the cursor is. */
export function optionOfKey(key: string, frames: readonly Frame[]): OptionSchema | undefined {
  return optionsHere(frames).find((o) => o.name === key);
}

/** Monitored quantities: the loss and every metric, of the training and the validation split. */
export const MONITOR_NAMES: readonly string[] = ['loss', 'val_loss', ...metricNames, ...metricNames.map((m) => `val_${m}`)];

/** The identifiers an option of this type takes (enum values, call names, true/false). */
export function valuesOfType(type: ValueType, optionName: string): string[] {
  switch (type.kind) {
    case 'enum':
    case 'enums':
      return [...type.values];
    case 'bool':
      return ['true', 'false'];
    case 'int_or_word':
      return [type.word];
    case 'call':
      return Object.keys(callSchemas[type.family]);
    case 'name':
    case 'names':
      return optionName === 'monitor' ? [...MONITOR_NAMES] : [];
    default:
      return [];
  }
}

/** "an integer, default 32" style summary of an option for completion details and hover. */
export function optionSummary(option: OptionSchema): string {
  const d = option.default;
  const fallback = 'required' in d ? 'required' : 'derived' in d ? `default: ${d.derived}` : `default ${JSON.stringify(d.value)}`;
  return `${typeName(option.type)}, ${fallback}`;
}

function typeName(type: ValueType): string {
  switch (type.kind) {
    case 'enum':
      return `${type.of}: ${type.values.join(' | ')}`;
    case 'enums':
      return `list of ${type.of}`;
    case 'call':
      return `a ${type.family}`;
    case 'int_or_word':
      return `integer or ${type.word}`;
    case 'int_pair':
      return 'integer or [integer, integer]';
    default:
      return type.kind;
  }
}
