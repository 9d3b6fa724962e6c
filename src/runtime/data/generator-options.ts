import { DataError } from './errors.js';

/** Guards a generator option (the checks normally catch these first; a compiled program has no checks). */
export function dataRequireOption(ok: boolean, source: string, option: string, value: number, requirement: string): void {
  if (!ok) {
    throw new DataError('E0527', `\`${source}(${option}: ${value})\` is invalid: ${option} must be ${requirement}.`, null, null, null, option);
  }
}

export const dataIsPositiveInteger = (value: number): boolean => Number.isInteger(value) && value >= 1;
