import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const dataSplitFiles = defineRule({
  id: 'data-split-files',
  description: 'csv(...) names one file (`path`) or split files (`train`, with optional `validation` and `test`), not both; split files take no `split { }` ratios.',
  needs: ['data'],
  check(ir, { file }) {
    const source = ir.data.source;
    if (source.kind !== 'csv') return [];
    const found: Diagnostic[] = [];
    const error = (message: string, span = source.span): void => {
      found.push(diagnostic('E0533', 'error', message, file, span));
    };
    if (source.path === null && source.train === null) {
      error('csv(...) needs a file: a path (one file, split by the `split { }` ratios), or train: "train.csv" with optional validation: and test: files.');
      return found;
    }
    if (source.path !== null && source.train !== null) {
      error('csv(...) has both a path and a train file; give one file (split by the ratios) or the split files, not both.', source.spans.train ?? source.span);
      return found;
    }
    if (source.path !== null) {
      for (const part of ['validation', 'test'] as const) {
        if (source[part] !== null) error(`A ${part} file needs a train file: write train: "..." instead of the path, or remove ${part}:.`, source.spans[part] ?? source.span);
      }
      return found;
    }
    const split = ir.data.split;
    // One diagnostic for the split section, at its first written option.
    const option = (['train', 'validation', 'test', 'stratify'] as const).find((name) => split.spans[name]);
    if (option) {
      error(`The data comes as split files (train: ${JSON.stringify(source.train)}), so the \`split { }\` ratios do not apply (here \`${option}\`); remove the split section, or give one file as the path to split it by ratios.`, split.spans[option]);
    }
    return found;
  },
});
