import { describe, expect, it } from 'vitest';
import { DataError, dataClosestName } from '../../../src/runtime/data/errors.js';

describe('DataError', () => {
  it('carries code, message, position and option', () => {
    const error = new DataError('E0511', 'bad.', 'a.csv', 3, 2, 'features');
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.code, error.message, error.file, error.line, error.column, error.option]).toEqual([
      'DataError',
      'E0511',
      'bad.',
      'a.csv',
      3,
      2,
      'features',
    ]);
    expect(new DataError('E0513', 'x.', null, null, null).option).toBeNull();
  });
});

describe('dataClosestName', () => {
  it('suggests a close name, ignoring case', () => {
    expect(dataClosestName('specis', ['sepal_length', 'species'])).toBe('species');
    expect(dataClosestName('Species', ['species'])).toBe('species');
  });

  it('suggests nothing when no name is close', () => {
    expect(dataClosestName('colour', ['sepal_length', 'species'])).toBeNull();
  });
});
