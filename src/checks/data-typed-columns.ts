import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../ir/suggest.js';
import { defineRule } from './rule.js';
import { distinctValues, resolvedColumns, typedColumnsInUse } from './typed-column-facts.js';

export const dataTypedColumns = defineRule({
  id: 'data-typed-columns',
  description: 'The columns named by csv(category: ..., binary: ...) are feature columns of the file, each in one list, and a binary column holds at most two values.',
  needs: ['data'],
  check(ir, context) {
    const source = ir.data.source;
    if (source.kind !== 'csv') return [];
    const facts = context.data();
    const found: Diagnostic[] = [];
    if ((source.stream ?? null) === true && typedColumnsInUse(ir)) {
      const message = `stream: true cannot read typed columns (category, binary) or inputs that name their columns yet; remove stream: true for a file that fits in memory, or use numeric columns and one input.`;
      found.push(diagnostic('E0540', 'error', message, context.file, source.spans.stream ?? source.span));
    }
    const seen = new Map<string, string>();
    for (const option of ['category', 'binary'] as const) {
      const names = source[option] ?? null;
      if (names === null) continue;
      const span = source.spans[option] ?? source.span;
      for (const name of names) {
        const earlier = seen.get(name);
        if (earlier !== undefined) {
          found.push(diagnostic('E0537', 'error', `Column '${name}' is listed in both ${earlier} and ${option}; a column has one type, so keep it in one list.`, context.file, span));
          continue;
        }
        seen.set(name, option);
        if (name === source.label) {
          found.push(diagnostic('E0519', 'error', `The label column '${name}' is listed in ${option}; ${option} names feature columns, and class labels are set with categorical: true.`, context.file, span));
          continue;
        }
        if (facts.header && !facts.header.includes(name)) {
          const hint = didYouMean(name, facts.header) || ` Its columns are: ${facts.header.join(', ')}.`;
          found.push(diagnostic('E0515', 'error', `The data file '${source.path ?? source.train}' has no column '${name}' (listed in ${option}).${hint}`, context.file, span));
          continue;
        }
        const features = facts.header ? resolvedColumns(source, undefined, facts.header).features : source.features;
        if (features && !features.includes(name)) {
          found.push(diagnostic('E0537', 'error', `Column '${name}' is listed in ${option} but not in features, so the model never reads it; add it to features or remove it from ${option}.`, context.file, span));
          continue;
        }
        if (option !== 'binary' || !facts.featureNames) continue;
        const cells = facts.featureColumns()?.[facts.featureNames.indexOf(name)];
        const values = cells ? distinctValues(cells).sort() : [];
        if (values.length > 2) {
          const shown = values.slice(0, 4).map((value) => `'${value.slice(0, 30)}'`).join(', ');
          found.push(diagnostic('E0535', 'error', `Column '${name}' is listed in binary but holds ${values.length} values (${shown}${values.length > 4 ? ', ...' : ''}); list it in category instead.`, context.file, span));
        }
      }
    }
    return found;
  },
});
