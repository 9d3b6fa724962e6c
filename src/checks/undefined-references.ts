import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../ir/suggest.js';
import { defineRule } from './rule.js';

export const undefinedReferences = defineRule({
  id: 'undefined-references',
  description: 'Every input after `<-` and every name in `output:` is a node of the model.',
  needs: ['model'],
  check(ir, { file }) {
    const names = new Set(ir.model.nodes.map((node) => node.name));
    const found: Diagnostic[] = [];
    for (const node of ir.model.nodes) {
      for (const ref of node.inputs) {
        if (names.has(ref.name)) continue;
        const message = `Layer '${node.name}' takes input '${ref.name}', which is not a node of the model.${didYouMean(ref.name, names)}`;
        found.push(diagnostic('E0202', 'error', message, file, ref.span));
      }
    }
    ir.model.outputs.forEach((name, i) => {
      if (names.has(name)) return;
      found.push(diagnostic('E0202', 'error', `The output '${name}' is not a node of the model.${didYouMean(name, names)}`, file, ir.model.outputSpans[i] ?? ir.model.span));
    });
    return found;
  },
});
