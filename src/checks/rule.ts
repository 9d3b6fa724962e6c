/** The shape of a semantic check: one rule per file, registered in index.ts. */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ShapeInference } from '../ir/shapes.js';
import type { SpecIR } from '../ir/types.js';
import type { DataFacts } from './data-facts.js';

export interface CheckContext {
  /** The spec file, as diagnostics name it. */
  file: string;
  /** The spec's folder: data paths are relative to it. */
  baseDir: string;
  /** Largest model allowed, in parameters (default 100,000,000). */
  maxParams?: number;
}

/** What rules receive: the caller's context plus results shared between rules, computed once. */
export interface RuleContext extends CheckContext {
  maxParams: number;
  shapes(): ShapeInference;
  data(): DataFacts;
}

export interface CheckRule {
  /** Stable kebab-case id, e.g. `duplicate-names`. */
  id: string;
  description: string;
  check(ir: SpecIR, context: RuleContext): Diagnostic[];
}
