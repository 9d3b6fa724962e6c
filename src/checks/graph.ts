/**
 * Cycles in the model graph, found as strongly connected components (Tarjan's algorithm,
 * iterative, linear in nodes + references). A node may only use nodes above it, so every cycle
 * contains a reference to the node itself or to a later node; each cycle (component) is reported
 * once, at the first such reference in source order.
 */
import type { InputRef, LayerNode, ModelIR } from '../ir/types.js';
import { nodesByName } from './model-facts.js';

export interface Cycle {
  /** Node names along the cycle, starting and ending with the same name. */
  path: string[];
  /** The reference that closes the cycle (a self or forward reference). */
  closing: InputRef;
  /** Every node of the cycle's component. */
  members: ReadonlySet<string>;
}

export function findCycles(model: ModelIR): Cycle[] {
  const byName = nodesByName(model);
  const component = components(byName);
  const position = new Map(model.nodes.map((node, i) => [node, i]));
  const cycles: Cycle[] = [];
  const reported = new Set<number>();
  const membersOf = new Map<number, Set<string>>();
  for (const [name, id] of component) {
    if (!membersOf.has(id)) membersOf.set(id, new Set());
    membersOf.get(id)!.add(name);
  }
  model.nodes.forEach((node, at) => {
    if (byName.get(node.name) !== node) return; // a later duplicate name: reported elsewhere
    for (const ref of node.inputs) {
      const target = byName.get(ref.name);
      if (!target || position.get(target)! < at) continue;
      const id = component.get(node.name)!;
      if (component.get(target.name) !== id || reported.has(id)) continue;
      reported.add(id);
      const members = membersOf.get(id)!;
      cycles.push({ path: [node.name, ...pathWithin(target.name, node.name, byName, members)], closing: ref, members });
    }
  });
  return cycles;
}

/** Strongly connected component id of every node name (edges: node -> its inputs). */
function components(byName: ReadonlyMap<string, LayerNode>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let componentCount = 0;
  const successors = (name: string): string[] => byName.get(name)!.inputs.map((ref) => ref.name).filter((input) => byName.has(input));

  for (const root of byName.keys()) {
    if (index.has(root)) continue;
    // Each frame: a node and the position of the next successor to visit.
    const frames: Array<{ name: string; next: number; successors: string[] }> = [];
    const enter = (name: string): void => {
      index.set(name, counter);
      low.set(name, counter);
      counter++;
      stack.push(name);
      onStack.add(name);
      frames.push({ name, next: 0, successors: successors(name) });
    };
    enter(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      if (frame.next < frame.successors.length) {
        const next = frame.successors[frame.next++]!;
        if (!index.has(next)) enter(next);
        else if (onStack.has(next)) low.set(frame.name, Math.min(low.get(frame.name)!, index.get(next)!));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.name, Math.min(low.get(parent.name)!, low.get(frame.name)!));
      if (low.get(frame.name) === index.get(frame.name)) {
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, componentCount);
        } while (member !== frame.name);
        componentCount++;
      }
    }
  }
  return component;
}

/** A path of input references from `from` to `to` (both included) inside `members`, by breadth-first search. */
function pathWithin(from: string, to: string, byName: ReadonlyMap<string, LayerNode>, members: ReadonlySet<string>): string[] {
  const previous = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    if (current === to) break;
    for (const ref of byName.get(current)!.inputs) {
      if (members.has(ref.name) && !previous.has(ref.name)) {
        previous.set(ref.name, current);
        queue.push(ref.name);
      }
    }
  }
  const path: string[] = [];
  for (let at: string | null | undefined = to; at !== null && at !== undefined; at = previous.get(at)) path.push(at);
  return path.reverse();
}
