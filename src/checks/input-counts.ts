import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { isMerge } from './model-facts.js';
import { defineRule } from './rule.js';

export const inputCounts = defineRule({
  id: 'input-counts',
  description: 'Merges (add, multiply, concat) take two or more inputs, input takes none, every other layer exactly one.',
  needs: ['model'],
  check(ir, { file }) {
    const hasInputNode = ir.model.nodes.some((node) => node.kind === 'input');
    const found: Diagnostic[] = [];
    ir.model.nodes.forEach((node, position) => {
      const count = node.inputs.length;
      let message: string | null = null;
      if (node.kind === 'input') {
        if (count > 0) message = `Input '${node.name}' takes no inputs; remove '<- ${node.inputs.map((r) => r.name).join(', ')}'.`;
      } else if (isMerge(node.kind)) {
        if (count < 2) message = `Layer '${node.name}' (${node.kind}) needs at least two inputs, got ${count}; write ${node.name} = ${node.kind} <- a, b.`;
      } else if (count === 0) {
        // A model without any input node is reported once, by model-inputs-outputs.
        if (position === 0 && !hasInputNode) return;
        message = `Layer '${node.name}' has no input: it is the first node; start the model with input(shape: [...]).`;
      } else if (count > 1) {
        message = `Layer '${node.name}' (${node.kind}) takes exactly one input, got ${count}; merge them first with add, multiply or concat.`;
      }
      if (message) found.push(diagnostic('E0205', 'error', message, file, node.span));
    });
    return found;
  },
});
