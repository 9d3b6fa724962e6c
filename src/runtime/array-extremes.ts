/**
 * Smallest and largest of an array, and appending one array to another, by loops. Spreading an
 * array into a call (`Math.max(...xs)`, `out.push(...xs)`) passes every element as an argument
 * on the stack and fails with "Maximum call stack size exceeded" past a few hundred thousand
 * elements; data-sized arrays (rows, steps, points) must go through these instead.
 */

/** The smallest element (Infinity for an empty array), like Math.min(...xs) without the spread. */
export function minOf(xs: ArrayLike<number>): number {
  let low = Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x < low || Number.isNaN(x)) low = x;
    if (Number.isNaN(low)) return NaN;
  }
  return low;
}

/** The largest element (-Infinity for an empty array), like Math.max(...xs) without the spread. */
export function maxOf(xs: ArrayLike<number>): number {
  let high = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i]!;
    if (x > high || Number.isNaN(x)) high = x;
    if (Number.isNaN(high)) return NaN;
  }
  return high;
}

/** Appends every item of `items` to `target` (target.push(...items) without the spread); returns target. */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (let i = 0; i < items.length; i++) target.push(items[i]!);
  return target;
}
