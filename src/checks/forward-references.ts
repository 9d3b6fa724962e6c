import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findCycles } from './graph.js';
import { defineRule } from './rule.js';

export const forwardReferences = defineRule({
  id: 'forward-references',
  description: 'A node only uses nodes written above it (references inside a cycle are reported as cycles).',
  needs: ['model'],
  check(ir, { file }) {
    const cycleOf = new Map<string, number>();
    findCycles(ir.model).forEach((cycle, i) => cycle.members.forEach((name) => cycleOf.set(name, i)));
    const inOneCycle = (a: string, b: string): boolean => cycleOf.has(a) && cycleOf.get(a) === cycleOf.get(b);
    const lineOf = new Map<string, number>();
    for (const node of ir.model.nodes) if (!lineOf.has(node.name)) lineOf.set(node.name, node.span.start.line);
    const above = new Set<string>();
    const found: Diagnostic[] = [];
    for (const node of ir.model.nodes) {
      for (const ref of node.inputs) {
        if (above.has(ref.name) || !lineOf.has(ref.name) || inOneCycle(node.name, ref.name)) continue;
        const message = `Layer '${node.name}' takes input '${ref.name}', which is defined later (line ${lineOf.get(ref.name)}); a node may only use nodes above it.`;
        found.push(diagnostic('E0203', 'error', message, file, ref.span));
      }
      above.add(node.name);
    }
    return found;
  },
});
