/** `--set PATH=VALUE` on the command line of check, plan, run and compile (src/overrides/apply.ts). */
import { applyOverrides, OverrideError, overridesComment, parseOverride, type Override } from '../overrides/apply.js';
import type { CliIO } from './cli-io.js';

/** Commander's collector for a repeatable --set. */
export function collectSets(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/**
 * The spec's text with the command line's `--set PATH=VALUE` applied (src/overrides/), ending
 * with a comment that names them; or the exit code after printing why an override cannot apply.
 */
export function withOverrides(source: string, sets: readonly string[] | undefined, io: CliIO, command: string): string | number {
  if (!sets || sets.length === 0) return source;
  try {
    const overrides: Override[] = sets.map(parseOverride);
    const changed = applyOverrides(source, overrides);
    return `${changed}${changed.endsWith('\n') ? '' : '\n'}${overridesComment(overrides)}`;
  } catch (error) {
    if (!(error instanceof OverrideError)) throw error;
    io.stderr(`mlspec ${command}: ${error.message}\n`);
    return 2;
  }
}

