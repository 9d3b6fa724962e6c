import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../ir/suggest.js';
import { csvIsTypeSelector } from '../runtime/data/csv-selectors.js';
import { defineRule } from './rule.js';

export const dataColumns = defineRule({
  id: 'data-columns',
  description: 'The label and feature columns named by csv(...) are in the file\'s header, and the label is not also a feature.',
  needs: ['data'],
  check(ir, context) {
    const source = ir.data.source;
    const header = context.data().header;
    if (source.kind !== 'csv' || !header) return [];
    const found: Diagnostic[] = [];
    const columns = new Set(header);
    // Suggest only columns the spec does not already use elsewhere.
    const taken = new Set([source.label, ...(source.features ?? [])]);
    const dialect = dialectHint(header, source.delimiter);
    const missing = (name: string, role: string, span = source.span): void => {
      const hint = dialect || didYouMean(name, header.filter((column) => !taken.has(column))) || ` Its columns are: ${header.join(', ')}.`;
      found.push(diagnostic('E0515', 'error', `The data file '${source.path}' has no column '${name}' (${role}).${hint}`, context.file, span));
    };
    if (!columns.has(source.label)) missing(source.label, 'the label', source.spans.label);
    if (source.features) {
      // `numeric`, `category`, `binary` not in the header select columns by type (csv-selectors.ts).
      for (const name of source.features) if (!columns.has(name) && !csvIsTypeSelector(name, header)) missing(name, 'a feature', source.spans.features);
      if (source.features.includes(source.label)) {
        const message = `The label column '${source.label}' is also listed in features; remove it from features.`;
        found.push(diagnostic('E0519', 'error', message, context.file, source.spans.features ?? source.span));
      }
    } else if (columns.has(source.label) && header.length === 1) {
      const message = `The data file '${source.path ?? source.train}' has no columns besides the label '${source.label}'; add feature columns.`;
      found.push(diagnostic('E0519', 'error', message, context.file, source.spans.path ?? source.span));
    }
    return found;
  },
});

/** A header read as one column that holds another usual delimiter: the file is `;`- (or tab-, `|`-) separated. */
function dialectHint(header: string[], delimiter: string): string {
  if (header.length !== 1) return '';
  const found = [';', '\t', '|', ','].find((candidate) => candidate !== delimiter && header[0]!.includes(candidate));
  if (found === undefined) return '';
  const written = found === '\t' ? '"\\t"' : JSON.stringify(found);
  return ` Its header is one column holding ${written}: the file looks ${found === '\t' ? 'tab' : written}-separated; write delimiter: ${written} in csv(...).`;
}
