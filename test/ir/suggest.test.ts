import { describe, expect, test } from 'vitest';
import { closestName, didYouMean, editDistance } from '../../src/ir/suggest.js';

describe('editDistance', () => {
  test('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('dense', 'dense')).toBe(0);
  });

  test('counts a swap of adjacent characters as one edit', () => {
    expect(editDistance('adma', 'adam')).toBe(1);
    expect(editDistance('rleu', 'relu')).toBe(1);
  });
});

describe('closestName', () => {
  const layers = ['dense', 'dropout', 'conv2d', 'lstm', 'embedding'];

  test('suggests a close name', () => {
    expect(closestName('dens', layers)).toBe('dense');
    expect(closestName('Dense', layers)).toBe('dense');
    expect(closestName('embeding', layers)).toBe('embedding');
  });

  test('suggests nothing for unrelated names or the name itself', () => {
    expect(closestName('transformer', layers)).toBeNull();
    expect(closestName('xyz', layers)).toBeNull();
    expect(closestName('dense', ['dense'])).toBeNull();
  });

  test('didYouMean phrases the suggestion, or says nothing', () => {
    expect(didYouMean('lstn', layers)).toBe(" Did you mean 'lstm'?");
    expect(didYouMean('qqqq', layers)).toBe('');
  });
});
