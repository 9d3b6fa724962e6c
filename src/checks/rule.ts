/**
 * The shape of a semantic check: one rule per file, registered in index.ts. A rule names the
 * parts of the spec it needs; checkSpec runs it only when all of them could be built, so an
 * unusable part (an unknown optimizer, say) hides only the problems that depend on it.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { PartialSpecIR, SpecPart } from '../ir/build.js';
import type { ShapeInference } from '../ir/shapes.js';
import type { SpecIR } from '../ir/types.js';
import type { DataFacts } from './data-facts.js';

export type { PartialSpecIR, SpecPart } from '../ir/build.js';

export interface CheckContext {
  /** The spec file, as diagnostics name it. */
  file: string;
  /** The spec's folder: data paths are relative to it. */
  baseDir: string;
  /** Largest model allowed, in parameters (default 100,000,000). */
  maxParams?: number;
}

/** A spec in which the parts N are present; the others may be absent. */
export type SpecWith<N extends SpecPart> = PartialSpecIR & Pick<SpecIR, N>;

/**
 * What rules receive: the caller's context plus results shared between rules, computed once.
 * Shape inference needs the model and the data facts need the data, so a rule sees them only
 * when it declares those parts.
 */
export type RuleContext<N extends SpecPart = SpecPart> = CheckContext & {
  maxParams: number;
} & ('model' extends N ? { shapes(): ShapeInference } : unknown) &
  ('data' extends N ? { data(): DataFacts } : unknown);

export interface CheckRule<N extends SpecPart = SpecPart> {
  /** Stable kebab-case id, e.g. `duplicate-names`. */
  id: string;
  description: string;
  /** The parts of the spec the rule reads; it runs only when all of them are present. */
  needs: readonly N[];
  check(ir: SpecWith<N>, context: RuleContext<N>): Diagnostic[];
}

/** Declares a rule; its parts are inferred from `needs`, so reading an undeclared part does not compile. */
export function defineRule<const N extends SpecPart = never>(rule: CheckRule<N>): CheckRule<N> {
  return rule;
}
