import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { nodesByName, soleInput } from './model-facts.js';
import { firstBadInteger, TOKEN_ID_MAX } from './data-integer-features.js';
import { defineRule } from './rule.js';
import { typedColumnsInUse } from './typed-column-facts.js';

export const inputDtype = defineRule({
  id: 'input-dtype',
  description: 'Embedding layers read int32 inputs; an int32 input gets token data: a sequence source, or CSV columns of integers (within the embedding\'s vocab).',
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
    // Typed columns and inputs that read columns: input-columns.ts checks their tokens.
    if (typedColumnsInUse(ir)) return found;
    const input = soleInput(ir.model);
    const facts = context.data();
    if (!input || input.config.dtype !== 'int32' || facts.tokens) return found;
    const dtypeSpan = input.spans.dtype ?? input.span;
    const columns = ir.data.source.kind === 'csv' ? facts.featureColumns() : null;
    if (!columns || !facts.featureNames) {
      // Generated real-valued data, or a CSV file whose columns are not known (reported elsewhere).
      if (ir.data.source.kind !== 'csv') {
        const message = `Input '${input.name}' is int32, but ${facts.origin} holds real-valued features; remove dtype: int32.`;
        found.push(diagnostic('E0606', 'error', message, context.file, dtypeSpan));
      }
      return found;
    }
    // Integer-token CSV columns: every cell an integer (exact in float32), and below the vocab of each embedding it feeds.
    const bad = firstBadInteger(facts.featureNames, columns, -TOKEN_ID_MAX, TOKEN_ID_MAX);
    if (bad) {
      const why = bad.kind === 'not-integer' ? 'which is not an integer token id' : 'which is beyond the ±16,777,216 that CSV token ids may reach (they are read as float32)';
      const message = `Input '${input.name}' is int32, but column '${bad.column}' of ${facts.origin} holds \`${bad.text}\` (data row ${bad.row}), ${why}; remove dtype: int32 for real-valued features, or fix the cell.`;
      found.push(diagnostic('E0606', 'error', message, context.file, dtypeSpan));
      return found;
    }
    for (const node of ir.model.nodes) {
      if (node.kind !== 'embedding' || node.inputs[0]?.name !== input.name) continue;
      const outside = firstBadInteger(facts.featureNames, columns, 0, node.config.vocab - 1);
      if (!outside) continue;
      const message = `Layer '${node.name}' (embedding) has vocab ${node.config.vocab}, but column '${outside.column}' of ${facts.origin} holds token id ${outside.text} (data row ${outside.row}); ids must lie in [0, ${node.config.vocab - 1}]: raise vocab or fix the cell.`;
      found.push(diagnostic('E0611', 'error', message, context.file, node.spans.vocab ?? node.span));
    }
    return found;
  },
});
