/** Collects the IR builder's diagnostics and whether the result is still usable. */
import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Value } from '../syntax/ast.js';

export class BuildContext {
  readonly diagnostics: Diagnostic[] = [];
  /** False once something required is missing or unusable: the builder then returns no IR. */
  usable = true;

  constructor(readonly file: string) {}

  error(code: string, message: string, span: Span, notes?: string[]): void {
    this.diagnostics.push(diagnostic(code, 'error', message, this.file, span, notes));
  }

  warning(code: string, message: string, span: Span, notes?: string[]): void {
    this.diagnostics.push(diagnostic(code, 'warning', message, this.file, span, notes));
  }

  /** Reports an error that leaves the spec without an IR. */
  fatal(code: string, message: string, span: Span, notes?: string[]): void {
    this.error(code, message, span, notes);
    this.usable = false;
  }
}

/** How a written value is shown in messages: `0.5`, `"x.csv"`, `relu`, `a list`, `a call of adam`. */
export function showValue(value: Value): string {
  switch (value.kind) {
    case 'number':
      return value.text;
    case 'string':
      return value.text.length > 40 ? `${value.text.slice(0, 37)}..."` : value.text;
    case 'ident':
      return value.name;
    case 'list':
      return 'a list';
    case 'call':
      return `${value.callee.name}(...)`;
  }
}
