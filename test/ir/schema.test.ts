import { describe, expect, test } from 'vitest';
import { activations, inferMode, initializers, metricNames } from '../../src/ir/schema/enums.js';
import { callSchemas, dataSchema, splitSchema, trainSchema } from '../../src/ir/schema/index.js';
import { describeDomain, inDomain, type OptionSchema, type ValueType } from '../../src/ir/schema/types.js';
import type { Activation, Initializer, MetricName } from '../../src/ir/types.js';

/** An independent check that a default value has its option's type. */
function fits(type: ValueType, value: unknown): boolean {
  switch (type.kind) {
    case 'int':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'bool':
      return typeof value === 'boolean';
    case 'string':
    case 'name':
      return typeof value === 'string';
    case 'enum':
      return type.values.includes(value as string);
    case 'ints':
      return Array.isArray(value) && value.every(Number.isInteger);
    case 'numbers':
      return Array.isArray(value) && value.every((v) => typeof v === 'number');
    case 'names':
      return Array.isArray(value) && value.every((v) => typeof v === 'string');
    case 'enums':
      return Array.isArray(value) && value.every((v) => type.values.includes(v as string));
    case 'int_pair':
      return Array.isArray(value) && value.length === 2 && value.every(Number.isInteger);
    case 'int_or_word':
      return value === type.word || Number.isInteger(value);
    case 'call':
      return typeof value === 'object' && value !== null && (value as { kind: string }).kind in callSchemas[type.family];
  }
}

const allOptionLists: Array<[string, readonly OptionSchema[]]> = [
  ...Object.entries(callSchemas).flatMap(([family, table]) => Object.values(table).map((s): [string, readonly OptionSchema[]] => [`${family} ${s.name}`, s.options])),
  ['data', dataSchema.options],
  ['split', splitSchema.options],
  ['train', trainSchema.options],
];

describe('schemas', () => {
  test.each(allOptionLists)('%s: unique names, defaults of the right type and inside the domain', (_name, options) => {
    const names = options.map((o) => o.name);
    expect(new Set(names).size).toBe(names.length);
    for (const option of options) {
      const fallback = option.default;
      if (!('value' in fallback) || fallback.value === null) continue;
      expect(fits(option.type, fallback.value), option.name).toBe(true);
      if (option.domain && typeof fallback.value === 'number') expect(inDomain(fallback.value, option.domain), option.name).toBe(true);
    }
  });

  test('positional arguments name real options, each once', () => {
    for (const table of Object.values(callSchemas)) {
      for (const schema of Object.values(table)) {
        expect(new Set(schema.positional).size).toBe(schema.positional.length);
        for (const name of schema.positional) expect(schema.options.map((o) => o.name), `${schema.name}.${name}`).toContain(name);
      }
    }
  });

  test('the positional orders the docs promise', () => {
    expect(callSchemas.layer.dense!.positional[0]).toBe('units');
    expect(callSchemas.layer.dropout!.positional[0]).toBe('rate');
    expect(callSchemas.layer.conv2d!.positional).toEqual(['filters', 'kernel']);
    expect(callSchemas.layer.max_pool2d!.positional[0]).toBe('size');
    expect(callSchemas.layer.activation!.positional[0]).toBe('fn');
    expect(callSchemas.layer.reshape!.positional[0]).toBe('shape');
    expect(callSchemas.clip.value!.positional[0]).toBe('limit');
  });

  test('Keras defaults', () => {
    const value = (options: readonly OptionSchema[], name: string): unknown => {
      const d = options.find((o) => o.name === name)!.default;
      return 'value' in d ? d.value : d;
    };
    const adam = callSchemas.optimizer.adam!.options;
    expect([value(adam, 'lr'), value(adam, 'beta1'), value(adam, 'beta2'), value(adam, 'epsilon')]).toEqual([0.001, 0.9, 0.999, 1e-7]);
    expect(value(callSchemas.optimizer.rmsprop!.options, 'rho')).toBe(0.9);
    expect(value(callSchemas.optimizer.momentum!.options, 'beta')).toBe(0.9);
    expect(value(callSchemas.optimizer.momentum!.options, 'form')).toBe('average');
    const dense = callSchemas.layer.dense!.options;
    expect([value(dense, 'activation'), value(dense, 'initializer'), value(dense, 'use_bias')]).toEqual(['linear', 'glorot_uniform', true]);
    expect(value(callSchemas.layer.lstm!.options, 'activation')).toBe('tanh');
    expect(value(callSchemas.layer.batch_norm!.options, 'momentum')).toBe(0.99);
    expect([value(trainSchema.options, 'batch'), value(trainSchema.options, 'seed')]).toEqual([32, 0]);
    expect([value(dataSchema.options, 'normalize'), value(dataSchema.options, 'shuffle')]).toEqual(['none', true]);
    expect(value(callSchemas.stop.early!.options, 'monitor')).toBe('val_loss');
  });

  test('enum lists hold every member of the IR types', () => {
    // Records keyed by the IR union: a missing or extra member fails to compile.
    const activationSet: Record<Activation, true> = Object.fromEntries(activations.map((a) => [a, true])) as Record<Activation, true>;
    const initializerSet: Record<Initializer, true> = Object.fromEntries(initializers.map((a) => [a, true])) as Record<Initializer, true>;
    const metricSet: Record<MetricName, true> = Object.fromEntries(metricNames.map((a) => [a, true])) as Record<MetricName, true>;
    expect(Object.keys(activationSet)).toHaveLength(11);
    expect(Object.keys(initializerSet)).toHaveLength(11);
    expect(Object.keys(metricSet)).toHaveLength(9);
  });

  test('monitor modes: accuracy-like metrics are maximised', () => {
    expect(inferMode('val_accuracy')).toBe('max');
    expect(inferMode('accuracy')).toBe('max');
    expect(inferMode('val_f1')).toBe('max');
    expect(inferMode('val_loss')).toBe('min');
    expect(inferMode('mae')).toBe('min');
  });

  test('domains are described as ranges', () => {
    expect(describeDomain({ min: 0, minExclusive: true })).toBe('> 0');
    expect(describeDomain({ min: 1 })).toBe('>= 1');
    expect(describeDomain({ min: 0, max: 1, maxExclusive: true })).toBe('in [0, 1)');
    expect(inDomain(0, { min: 0, minExclusive: true })).toBe(false);
    expect(inDomain(1, { min: 0, max: 1 })).toBe(true);
  });
});
