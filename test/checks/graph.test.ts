import { describe, expect, test } from 'vitest';
import { fileStartSpan } from '../../src/diagnostics/diagnostic.js';
import { findCycles } from '../../src/checks/graph.js';
import { cycles } from '../../src/checks/cycles.js';
import { forwardReferences } from '../../src/checks/forward-references.js';
import type { RuleContext } from '../../src/checks/rule.js';
import type { LayerNode, ModelIR, SpecIR } from '../../src/ir/types.js';

/** A model from `name <- inputs` pairs, in source order (shapes do not matter here). */
function model(edges: Array<[string, string[]]>): ModelIR {
  const nodes = edges.map(([name, inputs]) => ({
    kind: inputs.length === 0 ? 'input' : 'dense',
    name,
    named: true,
    inputs: inputs.map((input) => ({ name: input, span: fileStartSpan })),
    config: inputs.length === 0 ? { shape: [4], dtype: 'float32' } : { units: 4 },
    spans: {},
    span: fileStartSpan,
  })) as unknown as LayerNode[];
  return { nodes, inputs: [nodes[0]!.name], outputs: [nodes[nodes.length - 1]!.name], outputSpans: [fileStartSpan], span: fileStartSpan };
}

const context = { file: 'f', baseDir: '.' } as RuleContext;
const run = (rule: typeof cycles, m: ModelIR) => rule.check({ model: m } as SpecIR, context).map((d) => d.message);

describe('cycles and forward references', () => {
  test('a three-node cycle is reported once, with its path; its forward reference is not also E0203', () => {
    const m = model([['x', []], ['a', ['x', 'c']], ['b', ['a']], ['c', ['b']], ['out', ['c']]]);
    expect(findCycles(m).map((c) => c.path)).toEqual([['a', 'c', 'b', 'a']]);
    expect(run(cycles, m)).toEqual(['Layers a <- c <- b <- a form a cycle; a node may only use nodes above it.']);
    expect(run(forwardReferences, m)).toEqual([]);
  });

  test('two separate cycles and a plain forward reference', () => {
    const m = model([['x', []], ['p', ['q']], ['q', ['p']], ['s', ['s']], ['f', ['g']], ['g', ['x']]]);
    expect(findCycles(m).map((c) => c.path)).toEqual([['p', 'q', 'p'], ['s', 's']]);
    expect(run(forwardReferences, m)).toEqual(["Layer 'f' takes input 'g', which is defined later (line 1); a node may only use nodes above it."]);
  });

  test('linear time: 20,000 nodes that each use the next one', () => {
    const n = 20_000;
    const m = model([...Array.from({ length: n }, (_, i): [string, string[]] => [`n${i}`, [`n${i + 1}`]]), [`n${n}`, []]]);
    const started = performance.now();
    expect(run(forwardReferences, m)).toHaveLength(n);
    expect(run(cycles, m)).toEqual([]);
    // Quadratic search took minutes here; linear takes well under a second.
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});
