import { diagnostic } from '../diagnostics/diagnostic.js';
import { findCycles } from './graph.js';
import { defineRule } from './rule.js';

export const cycles = defineRule({
  id: 'cycles',
  description: 'The model graph has no cycles (a node cannot use itself, directly or through others).',
  needs: ['model'],
  check(ir, { file }) {
    return findCycles(ir.model).map(({ path, closing }) => {
      const message =
        path.length === 2
          ? `Layer '${path[0]}' takes itself as input; a node may only use nodes above it.`
          : `Layers ${path.join(' <- ')} form a cycle; a node may only use nodes above it.`;
      return diagnostic('E0204', 'error', message, file, closing.span);
    });
  },
});
