import { diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const stratifyLabels = defineRule({
  id: 'stratify-labels',
  description: 'stratify: true is used only with one class label per sample.',
  needs: ['data'],
  check(ir, context) {
    const labels = context.data().labels;
    if (!ir.data.split.stratify || !labels || labels.kind === 'classes') return [];
    const what = labels.kind === 'values' ? 'real values' : 'token sequences';
    const fix = ir.data.source.kind === 'csv' ? 'set categorical: true if they are class names, or remove stratify' : 'remove stratify';
    const message = `stratify: true needs one class label per sample, but the labels of ${context.data().origin} are ${what}; ${fix}.`;
    return [diagnostic('E0523', 'error', message, context.file, ir.data.split.spans.stratify ?? ir.data.split.span)];
  },
});
