/**
 * Errors of the data pipeline. The runtime cannot produce mlspec Diagnostics (it is copied into
 * compiled programs), so it throws DataError and the caller turns it into a diagnostic.
 * Codes are listed and explained in docs/semantics.md, section "Data".
 */

export class DataError extends Error {
  /**
   * @param code   stable code, E05xx
   * @param file   the data file concerned (as resolved against baseDir), or null
   * @param line   1-based line in `file` where the problem is, or null
   * @param column 1-based CSV field number (not a character offset) of the bad cell, or null
   * @param option the data option the problem is about (`reshape`, `label`, `split`, ...), or null,
   *               so the caller can point at the option in the spec when there is no file position
   */
  constructor(
    readonly code: string,
    message: string,
    readonly file: string | null,
    readonly line: number | null,
    readonly column: number | null,
    readonly option: string | null = null,
  ) {
    super(message);
    this.name = 'DataError';
  }

  /** Further problems found in the same pass (every missing column, the first bad cells), each reported on its own. */
  others: DataError[] = [];
  /** Problems found beyond those listed (the first DATA_ERRORS_LISTED are listed). */
  unlisted = 0;
}

/** How many data problems of one pass are listed; the rest are counted. */
export const DATA_ERRORS_LISTED = 20;

/** Collects the problems of one pass over the data, to throw them all at once. */
export class DataErrorList {
  private readonly found: DataError[] = [];
  private extra = 0;

  add(error: DataError): void {
    if (this.found.length < DATA_ERRORS_LISTED) this.found.push(error);
    else this.extra += 1;
  }

  get size(): number {
    return this.found.length + this.extra;
  }

  /** Throws the first problem, carrying the others, if there is any. */
  throwIfAny(): void {
    const [first, ...others] = this.found;
    if (!first) return;
    first.others = others;
    first.unlisted = this.extra;
    throw first;
  }
}

/** Levenshtein distance, for "did you mean" suggestions over a CSV header. */
function dataEditDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `name` (case-insensitive), if it is close enough to be a likely typo. */
export function dataClosestName(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = dataEditDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= limit ? best : null;
}

/** `a`, `b`, `c` for messages. */
export function dataQuoteList(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}
