/**
 * The one diagnostic type of mlspec. Every problem found anywhere (syntax, IR building,
 * checks, data loading) is reported as a Diagnostic, never as a thrown exception.
 */

/** A point in a source file. `line` and `column` are 1-based; `offset` is a 0-based UTF-16 index. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open range [start, end) of a source file. */
export interface Span {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  /** Stable code such as `E0101`; documented in docs/diagnostics.md, never reused. */
  code: string;
  severity: Severity;
  /** One sentence naming the things involved, ending with a full stop; suggests a fix where one is known. */
  message: string;
  /** The file the span belongs to. */
  file: string;
  span: Span;
  /** Extra hints printed under the excerpt ("Did you mean ...?" goes in the message itself). */
  notes?: string[];
  /** Other places of the same file that explain the problem (an editor's related information), e.g. where the file ends for an unclosed '{'. */
  related?: RelatedPlace[];
}

export interface RelatedPlace {
  message: string;
  span: Span;
}

export function diagnostic(
  code: string,
  severity: Severity,
  message: string,
  file: string,
  span: Span,
  notes?: string[],
): Diagnostic {
  return notes && notes.length > 0 ? { code, severity, message, file, span, notes } : { code, severity, message, file, span };
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.severity === 'error');

/** A span for problems that concern the whole file (line 1, column 1, empty). */
export const fileStartSpan: Span = {
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};
