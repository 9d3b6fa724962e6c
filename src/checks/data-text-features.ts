import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { cellNumber } from './data-cells.js';
import { defineRule } from './rule.js';
import { distinctValues, inputNodes, resolvedColumns } from './typed-column-facts.js';

/** Rows read per column: enough to tell a text column from a numeric one with a stray cell. */
const SAMPLE_ROWS = 1000;

export const dataTextFeatures = defineRule({
  id: 'data-text-features',
  description: 'A feature column that holds text in every (sampled) row is given a type: category (or binary for two values).',
  needs: ['model', 'data'],
  check(ir, context) {
    const source = ir.data.source;
    const facts = context.data();
    if (source.kind !== 'csv' || !facts.featureNames) return [];
    const columns = facts.featureColumns();
    if (!columns) return [];
    const typed = new Set([...(source.category ?? []), ...(source.binary ?? [])]);
    const inputs = inputNodes(ir.model);
    const columnsOf = resolvedColumns(source, ir.model, facts.header).inputs;
    const found: Diagnostic[] = [];
    facts.featureNames.forEach((name, index) => {
      if (typed.has(name)) return;
      // Columns of a multi-input model that no input reads are not features.
      if (inputs.length > 1 && !inputs.some((input) => columnsOf.get(input.name)?.includes(name))) return;
      const sample = columns[index]!.slice(0, SAMPLE_ROWS).filter((cell) => cell.trim() !== '');
      if (sample.length === 0 || sample.some((cell) => cellNumber(cell) !== null)) return;
      const values = distinctValues(sample);
      const example = values[0]!.length > 30 ? `${values[0]!.slice(0, 30)}...` : values[0]!;
      const fix = values.length <= 2 ? `binary: [${name}]` : `category: [${name}]`;
      const message = `Column '${name}' of ${facts.origin} holds text ('${example}'${values.length > 1 ? ` and ${values.length - 1} other value${values.length === 2 ? '' : 's'}` : ''}), not numbers; write ${fix} in csv(...), or leave it out of the features.`;
      found.push(diagnostic('E0511', 'error', message, context.file, source.spans.features ?? source.spans.path ?? source.spans.train ?? source.span));
    });
    return found;
  },
});
