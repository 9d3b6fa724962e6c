/**
 * The search space of `mlspec sweep`: each `--set PATH=VALUES` is a list of values (comma-separated
 * at the top level; commas inside parentheses, brackets or strings belong to a value) or a range
 * for `--random N`: `uniform(a, b)`, `loguniform(a, b)`, `choice(v1, v2, ...)`. A PATH with one
 * value is a fixed override shared by every trial.
 */
export type Dimension =
  | { path: string; kind: 'values'; values: string[] }
  | { path: string; kind: 'uniform' | 'loguniform'; low: number; high: number };

/** A usage problem with the sweep's settings; the message is one sentence. */
export class SweepUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SweepUsageError';
  }
}

/** Splits `text` at commas that are not inside (), [], {} or a "string". */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}

const RANGE = /^(uniform|loguniform|choice)\s*\(([\s\S]*)\)$/;

/** Parses one sweep `--set PATH=VALUES`. */
export function parseDimension(text: string): Dimension {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new SweepUsageError(`--set ${text}: write PATH=VALUE or PATH=V1,V2,..., e.g. --set optimizer.lr=0.1,0.01.`);
  const path = text.slice(0, eq).trim();
  const rhs = text.slice(eq + 1).trim();
  const range = RANGE.exec(rhs);
  if (range) {
    const args = splitTopLevel(range[2]!);
    if (args.some((a) => a === '')) throw new SweepUsageError(`--set ${text}: ${range[1]}(...) has an empty argument.`);
    if (range[1] === 'choice') return { path, kind: 'values', values: args };
    const [low, high] = args.map(Number);
    if (args.length !== 2 || !Number.isFinite(low) || !Number.isFinite(high) || !(low! < high!)) {
      throw new SweepUsageError(`--set ${text}: ${range[1]} takes two numbers, low < high, e.g. ${range[1]}(1e-4, 1e-1).`);
    }
    if (range[1] === 'loguniform' && !(low! > 0)) throw new SweepUsageError(`--set ${text}: loguniform needs low > 0.`);
    return { path, kind: range[1] as 'uniform' | 'loguniform', low: low!, high: high! };
  }
  const values = splitTopLevel(rhs);
  if (values.some((v) => v === '')) throw new SweepUsageError(`--set ${text}: a value is empty; write values separated by commas, e.g. train.batch=16,32.`);
  return { path, kind: 'values', values };
}

/** One trial's settings: PATH -> VALUE text, in the order of the --set flags. */
export type Settings = Record<string, string>;

/** Every combination of the value lists (the last --set varies fastest). */
export function gridTrials(dims: readonly Dimension[]): Settings[] {
  let trials: Settings[] = [{}];
  for (const dim of dims) {
    if (dim.kind !== 'values') throw new SweepUsageError(`--set ${dim.path}=${dim.kind}(...): a range needs --random N (a grid sweep takes lists of values).`);
    trials = trials.flatMap((t) => dim.values.map((v) => ({ ...t, [dim.path]: v })));
  }
  return trials;
}

/** mulberry32: a small seeded generator of numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sampled number as the language writes it: 4 significant digits. */
export function formatSample(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** `n` trials drawn independently from the ranges (a list is a uniform choice), seeded. */
export function randomTrials(dims: readonly Dimension[], n: number, seed: number): Settings[] {
  const random = seededRandom(seed);
  const trials: Settings[] = [];
  for (let i = 0; i < n; i++) {
    const t: Settings = {};
    for (const dim of dims) {
      const u = random();
      if (dim.kind === 'values') t[dim.path] = dim.values[Math.min(dim.values.length - 1, Math.floor(u * dim.values.length))]!;
      else if (dim.kind === 'uniform') t[dim.path] = formatSample(dim.low + u * (dim.high - dim.low));
      else t[dim.path] = formatSample(Math.exp(Math.log(dim.low) + u * (Math.log(dim.high) - Math.log(dim.low))));
    }
    trials.push(t);
  }
  return trials;
}

/** Whether a dimension varies between trials (more than one value, or a range). */
export function varies(dim: Dimension): boolean {
  return dim.kind !== 'values' || dim.values.length > 1;
}
