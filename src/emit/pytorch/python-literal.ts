/** JSON values as Python literals, and names as Python identifiers. Pure. */

const PYTHON_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '),
);

/** Attributes of nn.Module (and of the generated Model) that a layer's name must not replace. */
const RESERVED = new Set(['training', 'forward', 'penalties', 'penalty', 'modules', 'parameters', 'buffers', 'children', 'state_dict', 'train', 'eval', 'to', 'cuda', 'cpu', 'float', 'double', 'half', 'type', 'apply', 'zero_grad', 'tfjs_weights', 'seed', 'self', 'rt', 'torch', 'nn', 'F', 'x']);

/** A Python identifier for a node name: mlspec names are already identifiers, but may be keywords or nn.Module attributes. */
export function pythonName(name: string, taken: Set<string>): string {
  let base = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(base)) base = `n_${base}`;
  if (PYTHON_KEYWORDS.has(base) || RESERVED.has(base) || base.startsWith('__')) base = `${base}_layer`;
  let candidate = base;
  for (let i = 2; taken.has(candidate); i++) candidate = `${base}_${i}`;
  taken.add(candidate);
  return candidate;
}

/** A Python string literal (JSON's escapes are Python's, plus astral characters as \U escapes). */
export function pyString(text: string): string {
  const json = JSON.stringify(text);
  return json.replace(/[\ud800-\udbff][\udc00-\udfff]/g, (pair) => `\\U${pair.codePointAt(0)!.toString(16).padStart(8, '0')}`).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

export function pyNumber(value: number): string {
  if (Number.isNaN(value)) return 'float("nan")';
  if (!Number.isFinite(value)) return value > 0 ? 'float("inf")' : '-float("inf")';
  return String(value);
}

/** A JSON value as a Python literal on one line. */
export function pyValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyValue).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${pyValue(v)}`).join(', ')}}`;
}

/** Keyword arguments `a=1, b="x"` of an object whose keys are identifiers. */
export function pyKeywords(options: Record<string, unknown>): string {
  return Object.entries(options)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${pyValue(v)}`)
    .join(', ');
}
