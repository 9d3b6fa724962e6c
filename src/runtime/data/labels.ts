/** Class names to class indices: sorted by Unicode code point, so the mapping depends only on the set of names. */

/** Compares by code point (plain `<` compares UTF-16 code units, which orders astral characters differently). */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a);
  const right = Array.from(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = left[i]!.codePointAt(0)! - right[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** The distinct class names in index order. */
export function dataClassNames(names: readonly string[]): string[] {
  return [...new Set(names)].sort(compareCodePoints);
}

/** Maps each name to its index in the sorted distinct names. */
export function encodeLabels(names: readonly string[]): { indices: number[]; classes: string[] } {
  const classes = dataClassNames(names);
  return { indices: encodeLabelsWith(names, classes), classes };
}

/** Maps each name to its index in `classes` (e.g. a saved model's), or -1 when it is not a class. */
export function encodeLabelsWith(names: readonly string[], classes: readonly string[]): number[] {
  const index = new Map(classes.map((name, i) => [name, i]));
  return names.map((name) => index.get(name) ?? -1);
}
