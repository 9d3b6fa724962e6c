import { describe, expect, it } from 'vitest';
import { dataNumberOrNaN, parseDataNumber } from '../../../src/runtime/data/numbers.js';

describe('parseDataNumber', () => {
  it.each([
    ['1', 1],
    [' 2.5 ', 2.5],
    ['-3', -3],
    ['+4', 4],
    ['.5', 0.5],
    ['5.', 5],
    ['1e3', 1000],
    ['1E-2', 0.01],
    ['-0', -0],
    ['007', 7],
  ])('reads %j as %d', (text, value) => {
    expect(parseDataNumber(text)).toEqual({ kind: 'number', value });
    expect(dataNumberOrNaN(text)).toBe(value);
  });

  it.each(['', '   ', '\t'])('treats %j as missing', (text) => {
    expect(parseDataNumber(text)).toEqual({ kind: 'missing' });
  });

  it.each(['NaN', 'nan', 'Infinity', '-Infinity', '+inf', 'INF', '1e999', '-1e400'])('rejects %j as not finite', (text) => {
    expect(parseDataNumber(text)).toEqual({ kind: 'non-finite' });
    expect(dataNumberOrNaN(text)).toBeNaN();
  });

  it.each(['1,2', '0x10', '0b1', '1e', 'e5', '1.2.3', '--1', '1 2', 'abc', '1_000', '.', '+', '١'])('rejects %j as not a number', (text) => {
    expect(parseDataNumber(text)).toEqual({ kind: 'invalid' });
    expect(dataNumberOrNaN(text)).toBeNaN();
  });
});
