/**
 * Specs generated from the grammar and the option schemas (src/ir/schema): well-formed text
 * with random sections, properties and layer statements, known and unknown option names, and
 * values of the right type, the wrong type, or absurd size. Most of them are wrong in some way;
 * the point is that each is answered with diagnostics.
 */
import fc from 'fast-check';
import { callSchemas, dataSchema, splitSchema, trainSchema } from '../../src/ir/schema/index.js';
import type { CallFamily, CallSchema, OptionSchema, SectionSchema, ValueType } from '../../src/ir/schema/types.js';
import { intText, listText, nameText, numberText, stringText } from './values.js';

const MAX_CALL_DEPTH = 3;

/** `arbitrary` with the given chance, else null. */
export function sometimes<T>(arbitrary: fc.Arbitrary<T>, chance: number): fc.Arbitrary<T | null> {
  const percent = Math.round(chance * 100);
  return fc.oneof({ weight: percent, arbitrary }, { weight: 100 - percent, arbitrary: fc.constant(null) });
}

function valueOfType(type: ValueType, depth: number): fc.Arbitrary<string> {
  switch (type.kind) {
    case 'int':
      return intText;
    case 'number':
      return numberText;
    case 'bool':
      return fc.constantFrom('true', 'false', 'yes', '1');
    case 'string':
      return stringText;
    case 'name':
      return fc.oneof(nameText, stringText);
    case 'enum':
      return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...type.values) }, { weight: 1, arbitrary: nameText });
    case 'ints':
      return listText(intText);
    case 'numbers':
      return listText(numberText, '0.5');
    case 'names':
      return listText(fc.oneof(nameText, stringText), 'x');
    case 'enums':
      return listText(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...type.values) }, { weight: 1, arbitrary: nameText }), type.values[0] ?? 'x');
    case 'int_pair':
      return fc.oneof(intText, fc.tuple(intText, intText).map(([a, b]) => `[${a}, ${b}]`), listText(intText));
    case 'int_or_word':
      return fc.oneof(intText, fc.constant(type.word));
    case 'call':
      return depth >= MAX_CALL_DEPTH ? fc.constantFrom(...Object.keys(callSchemas[type.family])) : callText(type.family, depth + 1);
  }
}

/** Any value at all: the wrong type for most options. */
const anyValue: fc.Arbitrary<string> = fc.oneof(intText, numberText, stringText, nameText, listText(intText));

function optionValue(option: OptionSchema, depth: number): fc.Arbitrary<string> {
  return fc.oneof({ weight: 8, arbitrary: valueOfType(option.type, depth) }, { weight: 1, arbitrary: anyValue });
}

/** `name(args)` or a bare `name` for a schema: positional and named arguments, some unknown or repeated. */
function schemaCall(schema: CallSchema, depth: number): fc.Arbitrary<string> {
  const named = fc.array(
    fc.oneof(
      { weight: 6, arbitrary: schema.options.length === 0 ? nameText.map((n) => ({ name: n, option: null as OptionSchema | null })) : fc.constantFrom(...schema.options).map((o) => ({ name: o.name, option: o as OptionSchema | null })) },
      { weight: 1, arbitrary: nameText.map((n) => ({ name: n, option: null as OptionSchema | null })) },
    ),
    { maxLength: 5 },
  );
  const positionalCount = fc.integer({ min: 0, max: schema.positional.length + 1 });
  return fc.tuple(positionalCount, named, fc.boolean()).chain(([count, names, bare]) => {
    if (bare && count === 0 && names.length === 0) return fc.constant(schema.name);
    const positional = Array.from({ length: count }, (_, i) => {
      const option = schema.options.find((o) => o.name === schema.positional[i]);
      return option ? optionValue(option, depth) : anyValue;
    });
    const namedValues = names.map(({ name, option }) => (option ? optionValue(option, depth) : anyValue).map((v) => `${name}: ${v}`));
    return fc.tuple(...positional, ...namedValues).map((args) => `${schema.name}(${args.join(', ')})`);
  });
}

export function callText(family: CallFamily, depth = 0): fc.Arbitrary<string> {
  const schemas = Object.values(callSchemas[family]);
  return fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...schemas).chain((schema) => schemaCall(schema, depth)) },
    { weight: 1, arbitrary: nameText.map((n) => `${n}()`) },
    { weight: 1, arbitrary: nameText },
  );
}

/** `[name =] call [<- a, b]`, or a property or section where a statement belongs. */
const layerStatement: fc.Arbitrary<string> = fc
  .tuple(sometimes(nameText, 0.5), callText('layer'), sometimes(fc.array(nameText, { minLength: 1, maxLength: 3 }), 0.3))
  .map(([name, call, inputs]) => `${name === null ? '' : `${name} = `}${call}${inputs === null ? '' : ` <- ${inputs.join(', ')}`}`);

const modelSection: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 1, arbitrary: fc.constant('input(shape: [4])') }, { weight: 1, arbitrary: layerStatement }),
    fc.array(layerStatement, { maxLength: 8 }),
    sometimes(fc.oneof(nameText, listText(nameText)), 0.25),
    // Rarely many layers (a million of them is refused by size before parsing).
    sometimes(fc.constantFrom(100, 100, 100, 2000, 1_000_000), 0.01),
  )
  .map(([first, rest, output, repeat]) => {
    const body = [first, ...rest];
    if (output !== null) body.push(`output: ${output}`);
    const many = repeat === null ? '' : '  dense(64)\n'.repeat(repeat);
    return `model {\n${many}${body.map((line) => `  ${line}`).join('\n')}\n}`;
  });

function sectionText(schema: SectionSchema): fc.Arbitrary<string> {
  const entry = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...schema.options).chain((o) => optionValue(o, 0).map((v) => `${o.name}: ${v}`)) },
    { weight: 1, arbitrary: fc.tuple(nameText, anyValue).map(([k, v]) => `${k}: ${v}`) },
    ...schema.sections.map((nested) => ({ weight: 3, arbitrary: sectionText(nested) })),
  );
  return fc.array(entry, { maxLength: 6 }).map((entries) => `${schema.name} {\n${entries.map((e) => `  ${e}`).join('\n')}\n}`);
}

const topLevelItem: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: modelSection },
  { weight: 3, arbitrary: sectionText(dataSchema) },
  { weight: 2, arbitrary: sectionText(trainSchema) },
  { weight: 1, arbitrary: sectionText(splitSchema) },
  { weight: 3, arbitrary: callText('loss').map((c) => `loss: ${c}`) },
  { weight: 3, arbitrary: callText('optimizer').map((c) => `optimizer: ${c}`) },
  { weight: 1, arbitrary: callText('clip').map((c) => `clip: ${c}`) },
  { weight: 2, arbitrary: callText('schedule').map((c) => `schedule: ${c}`) },
  { weight: 1, arbitrary: fc.tuple(nameText, anyValue).map(([k, v]) => `${k}: ${v}`) },
  { weight: 1, arbitrary: layerStatement },
);

/** A whole spec: the four required items in random order, plus random extra items. */
export const schemaSpec: fc.Arbitrary<string> = fc
  .tuple(
    modelSection,
    sectionText(dataSchema),
    callText('loss').map((c) => `loss: ${c}`),
    callText('optimizer').map((c) => `optimizer: ${c}`),
    fc.array(topLevelItem, { maxLength: 3 }),
    fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
  )
  .map(([model, data, loss, optimizer, extra, keys]) =>
    [model, data, loss, optimizer, ...extra]
      .map((item, i) => ({ item, key: keys[i % keys.length]! + i / 100 }))
      .sort((a, b) => a.key - b.key)
      .map(({ item }) => item)
      .join('\n\n'),
  );
