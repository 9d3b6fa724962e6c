import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const modelInputsOutputs = defineRule({
  id: 'model-inputs-outputs',
  description: 'The model has an input node; training supports exactly one input and one output.',
  needs: ['model'],
  check(ir, { file }) {
    const { model } = ir;
    const found: Diagnostic[] = [];
    if (model.inputs.length === 0) {
      found.push(diagnostic('E0206', 'error', 'The model has no input node; start it with input(shape: [...]).', file, model.nodes[0]?.span ?? model.span));
    }
    if (model.inputs.length > 1) {
      const second = model.nodes.filter((node) => node.kind === 'input')[1]!;
      const message = `The model has ${model.inputs.length} inputs (${model.inputs.join(', ')}); training supports exactly one input.`;
      found.push(diagnostic('E0207', 'error', message, file, second.span));
    }
    if (model.outputs.length > 1) {
      const message = `The model has ${model.outputs.length} outputs (${model.outputs.join(', ')}); training supports exactly one output.`;
      found.push(diagnostic('E0207', 'error', message, file, model.outputSpans[1] ?? model.span));
    }
    return found;
  },
});
