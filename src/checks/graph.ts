/**
 * Cycles in the model graph. A node may only use nodes above it, so any cycle contains a
 * reference to the node itself or to a later node; each cycle is reported once, at that reference.
 */
import type { InputRef, ModelIR } from '../ir/types.js';
import { nodesByName } from './model-facts.js';

export interface Cycle {
  /** Node names along the cycle, starting and ending with the same name. */
  path: string[];
  /** The reference that closes the cycle (a self or forward reference). */
  closing: InputRef;
}

export function findCycles(model: ModelIR): Cycle[] {
  const byName = nodesByName(model);
  const index = new Map(model.nodes.map((node, i) => [node, i]));
  const cycles: Cycle[] = [];
  const seen = new Set<string>();
  model.nodes.forEach((node, position) => {
    for (const ref of node.inputs) {
      const target = byName.get(ref.name);
      if (!target || index.get(target)! < position) continue;
      // A backward reference can close a cycle only through this self/forward one: search from the target back to node.
      const path = pathBetween(target.name, node.name, byName);
      if (!path) continue;
      const key = [...path].sort().join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      cycles.push({ path: [node.name, ...path], closing: ref });
    }
  });
  return cycles;
}

/** A path of input references from `from` to `to` (inclusive), by breadth-first search. */
function pathBetween(from: string, to: string, byName: ReadonlyMap<string, { inputs: InputRef[] }>): string[] | null {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current === to) {
      const path: string[] = [];
      for (let at: string | null = current; at !== null; at = previous.get(at)!) path.unshift(at);
      return path;
    }
    for (const ref of byName.get(current)?.inputs ?? []) {
      if (!previous.has(ref.name) && byName.has(ref.name)) {
        previous.set(ref.name, current);
        queue.push(ref.name);
      }
    }
  }
  return null;
}
