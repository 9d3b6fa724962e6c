/**
 * TypeScript text for values that come from a spec: every string through JSON.stringify (so a
 * quote, backtick, `${` or line break cannot end it), comments without line breaks.
 */
import { isPlanCall, isPlanRef, type PlanArg, type PlanCall } from '../lower/plan-description.js';

/** Text that is safe inside a `//` comment: no line breaks of any kind. */
export function commentSafe(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** A JSON value as a TypeScript literal. */
export function literal(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') {
    // Plain text in single quotes (as people write it); anything else through JSON.stringify.
    if (/^[A-Za-z0-9_ .,:;/+*=@#%&()[\]<>!?|~^-]*$/.test(value)) return `'${value}'`;
    return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  }
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  return JSON.stringify(value);
}

/** Object keys are quoted unless they are plain identifiers. */
export function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name);
}

/** A plan value as TypeScript: runtime calls become `mlspec.name(...)`, objects `{ a: 1 }`. */
export function planValue(value: PlanArg | undefined): string {
  if (value === undefined || value === null || typeof value !== 'object') return literal(value ?? null);
  if (isPlanCall(value)) return planCall(value);
  if (isPlanRef(value)) return `mlspec.${value.$ref}`;
  if (Array.isArray(value)) return `[${value.map(planValue).join(', ')}]`;
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  return `{ ${entries.map(([k, v]) => `${key(k)}: ${planValue(v)}`).join(', ')} }`;
}

export function planCall(c: PlanCall): string {
  return `mlspec.${c.$call}(${c.args.map(planValue).join(', ')})`;
}
