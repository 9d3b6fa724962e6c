import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { defineRule } from './rule.js';

export const modelInputsOutputs = defineRule({
  id: 'model-inputs-outputs',
  description: 'The model has an input node; several inputs each name their CSV columns (from: [...]); training supports exactly one output.',
  needs: ['model'],
  check(ir, { file }) {
    const { model } = ir;
    const found: Diagnostic[] = [];
    if (model.inputs.length === 0) {
      found.push(diagnostic('E0206', 'error', 'The model has no input node; start it with input(shape: [...]).', file, model.nodes[0]?.span ?? model.span));
    }
    // Several inputs are supported when each names the CSV columns it reads (input(from: [...])).
    const withoutColumns = model.nodes.filter((node) => node.kind === 'input' && node.config.from === null);
    if (model.inputs.length > 1 && withoutColumns.length > 0) {
      // Point at a later input when it lacks `from` too: the first input is the one a reader expects.
      const unnamed = withoutColumns.length > 1 ? withoutColumns[1]! : withoutColumns[0]!;
      const message = `The model has ${model.inputs.length} inputs (${model.inputs.join(', ')}) but input '${unnamed.name}' does not say which columns it reads; give every input its CSV columns, e.g. input(shape: [2], from: [age, income]).`;
      found.push(diagnostic('E0207', 'error', message, file, unnamed.span));
    }
    if (model.outputs.length > 1) {
      const message = `The model has ${model.outputs.length} outputs (${model.outputs.join(', ')}); training supports exactly one output.`;
      found.push(diagnostic('E0207', 'error', message, file, model.outputSpans[1] ?? model.span));
    }
    return found;
  },
});
