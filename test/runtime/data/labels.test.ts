import { describe, expect, it } from 'vitest';
import { compareCodePoints, encodeLabels, encodeLabelsWith } from '../../../src/runtime/data/labels.js';

describe('encodeLabels', () => {
  it('numbers the distinct names in sorted order', () => {
    expect(encodeLabels(['virginica', 'setosa', 'versicolor', 'setosa'])).toEqual({
      indices: [2, 0, 1, 0],
      classes: ['setosa', 'versicolor', 'virginica'],
    });
  });

  it('sorts by code point: upper case before lower case, digits as text', () => {
    expect(encodeLabels(['b', 'B', '10', '9', 'a']).classes).toEqual(['10', '9', 'B', 'a', 'b']);
  });

  it('orders an astral character after U+FFFD, unlike UTF-16 code units', () => {
    const astral = '\u{1F600}'; // code point 0x1F600, UTF-16 starts with 0xD83D < 0xFFFD
    expect(compareCodePoints(astral, '\uFFFD')).toBeGreaterThan(0);
    expect(encodeLabels([astral, '\uFFFD']).classes).toEqual(['\uFFFD', astral]);
  });

  it('maps with given classes, -1 for a name outside them', () => {
    expect(encodeLabelsWith(['b', 'c', 'a'], ['a', 'b'])).toEqual([1, -1, 0]);
  });
});
