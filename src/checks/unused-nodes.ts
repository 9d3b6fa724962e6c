import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const unusedNodes = defineRule({
  id: 'unused-nodes',
  description: 'Warns about nodes that feed no other node and are not an output.',
  needs: ['model'],
  check(ir, { file }) {
    // With a dangling reference the graph is not what the author meant: "unused" would mislead.
    const names = new Set(ir.model.nodes.map((node) => node.name));
    const refs = [...ir.model.outputs, ...ir.model.nodes.flatMap((node) => node.inputs.map((ref) => ref.name))];
    if (refs.some((name) => !names.has(name))) return [];
    const used = new Set([...ir.model.outputs, ...ir.model.nodes.flatMap((node) => node.inputs.map((ref) => ref.name))]);
    const found: Diagnostic[] = [];
    for (const node of ir.model.nodes) {
      if (used.has(node.name)) continue;
      const what = node.kind === 'input' ? 'Input' : 'Layer';
      found.push(diagnostic('W0201', 'warning', `${what} '${node.name}' is not used by any other layer or output; remove it or connect it.`, file, node.span));
    }
    return found;
  },
});
