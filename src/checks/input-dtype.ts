import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { nodesByName, soleInput } from './model-facts.js';
import { defineRule } from './rule.js';

export const inputDtype = defineRule({
  id: 'input-dtype',
  description: 'Embedding layers read int32 inputs; an int32 input gets token data.',
  needs: ['model', 'data'],
  check(ir, context) {
    const found: Diagnostic[] = [];
    const byName = nodesByName(ir.model);
    for (const node of ir.model.nodes) {
      if (node.kind !== 'embedding' || node.inputs.length !== 1) continue;
      const source = byName.get(node.inputs[0]!.name);
      if (source?.kind !== 'input' || source.config.dtype === 'int32') continue;
      const message = `Layer '${node.name}' (embedding) reads token ids, but input '${source.name}' is float32; write input(shape: [${source.config.shape.join(', ')}], dtype: int32).`;
      found.push(diagnostic('E0606', 'error', message, context.file, source.spans.dtype ?? source.span));
    }
    const input = soleInput(ir.model);
    const facts = context.data();
    if (input && input.config.dtype === 'int32' && !facts.tokens) {
      const message = `Input '${input.name}' is int32, but ${facts.origin} holds real-valued features; remove dtype: int32.`;
      found.push(diagnostic('E0606', 'error', message, context.file, input.spans.dtype ?? input.span));
    }
    return found;
  },
});
