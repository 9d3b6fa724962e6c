import { DataError } from './errors.js';

/** Guards a generator option (the checks normally catch these first; a compiled program has no checks). */
export function dataRequireOption(ok: boolean, source: string, option: string, value: number, requirement: string): void {
  if (!ok) {
    throw new DataError('E0527', `\`${source}(${option}: ${value})\` is invalid: ${option} must be ${requirement}.`, null, null, null, option);
  }
}

export const dataIsPositiveInteger = (value: number): boolean => Number.isInteger(value) && value >= 1;

/**
 * Most numbers a generator may produce (features and labels together). The table is built as
 * JavaScript arrays (about 100 bytes per one-feature row), so 10 million numbers take up to about
 * 1 GB and half a minute; a larger request is almost certainly a typo and would exhaust memory.
 */
export const DATA_GENERATOR_MAX_VALUES = 10_000_000;

/** Refuses, before anything is allocated, a generator that would produce more than DATA_GENERATOR_MAX_VALUES numbers. */
export function dataRequireGeneratedSize(source: string, written: string, values: number): void {
  if (values > DATA_GENERATOR_MAX_VALUES) {
    const count = Number.isFinite(values) ? values.toLocaleString('en-US') : 'more than 10^308';
    throw new DataError(
      'E0529',
      `\`${source}(${written})\` would generate ${count} numbers, more than the ${DATA_GENERATOR_MAX_VALUES.toLocaleString('en-US')} a generated data set may hold; use fewer samples.`,
      null,
      null,
      null,
      'samples',
    );
  }
}
