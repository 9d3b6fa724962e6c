import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const duplicateNames = defineRule({
  id: 'duplicate-names',
  description: 'Every node of the model has a different name.',
  needs: ['model'],
  check(ir, { file }) {
    const first = new Map<string, number>();
    const found: Diagnostic[] = [];
    for (const node of ir.model.nodes) {
      const line = first.get(node.name);
      if (line === undefined) {
        first.set(node.name, node.span.start.line);
        continue;
      }
      found.push(diagnostic('E0201', 'error', `The name '${node.name}' is already used by the node on line ${line}; give each node its own name.`, file, node.span));
    }
    return found;
  },
});
