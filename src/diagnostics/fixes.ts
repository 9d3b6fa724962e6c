/**
 * Structured fixes: what a diagnostic's message suggests, as edits a tool can apply (the
 * language server's quick fixes, `check --format json`). A message that ends in "Did you mean
 * 'x'?" and whose span covers exactly the misspelled name becomes "Replace 'y' with 'x'". Rules
 * may also attach fixes of their own; those are kept as they are.
 */
import type { Diagnostic, Fix } from './diagnostic.js';

const DID_YOU_MEAN = /Did you mean '([^']+)'\?/;

/** A name as written: an identifier, or a quoted string (a column name may be either). */
const REPLACEABLE = /^(?:[A-Za-z_][\w.-]*|"[^"\n]*")$/;

/** The did-you-mean fix of one diagnostic, or null. */
export function didYouMeanFix(d: Diagnostic, source: string): Fix | null {
  const match = DID_YOU_MEAN.exec(d.message);
  if (!match) return null;
  const written = source.slice(d.span.start.offset, d.span.end.offset);
  if (!REPLACEABLE.test(written)) return null;
  const suggestion = match[1]!;
  // Only a name replaces a name: "Did you mean 'momentum(...)'?" is advice, not an edit.
  if (!/^[A-Za-z_][\w.-]*$/.test(suggestion) && !written.startsWith('"')) return null;
  const newText = written.startsWith('"') ? JSON.stringify(suggestion) : suggestion;
  if (newText === written) return null;
  return { title: `Replace '${written}' with '${newText}'`, edits: [{ span: d.span, newText }] };
}

/** The diagnostics with the fixes their messages suggest attached (new objects; the input is unchanged). */
export function withSuggestedFixes(diagnostics: readonly Diagnostic[], sources: (file: string) => string | undefined): Diagnostic[] {
  return diagnostics.map((d) => {
    if (d.fixes && d.fixes.length > 0) return d;
    const source = sources(d.file);
    const fix = source === undefined ? null : didYouMeanFix(d, source);
    return fix ? { ...d, fixes: [fix] } : d;
  });
}
