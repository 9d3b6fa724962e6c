/**
 * Shape inference: the output shape (without the batch dimension) and the parameter count of
 * every node, computed from the IR alone, before anything is allocated. Nodes whose inputs are
 * missing, later, of the wrong number, or themselves without a shape are skipped silently: the
 * graph checks report those, and skipping avoids a cascade of follow-on errors.
 */
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { domainViolations } from './schema/domain.js';
import { layerSchemas } from './schema/layers.js';
import { shapeRules, type Shape, type ShapeOutcome } from './shape-rules.js';
import { MERGE_KINDS, type LayerKind, type LayerNode, type ModelIR } from './types.js';

export type { Shape } from './shape-rules.js';

export interface ShapeInference {
  shapes: Map<string, Shape>;
  /** Trainable plus non-trainable parameters of each node with a shape. */
  params: Map<string, number>;
  /** The non-trainable part (batch norm's moving statistics). */
  nonTrainable: Map<string, number>;
  diagnostics: Diagnostic[];
}

export function inferShapes(model: ModelIR, file = ''): ShapeInference {
  const result: ShapeInference = { shapes: new Map(), params: new Map(), nonTrainable: new Map(), diagnostics: [] };
  const defined = new Set<string>();
  for (const node of model.nodes) {
    const inputs = inputShapes(node, result.shapes, defined);
    defined.add(node.name);
    // Out-of-domain options (units: 0, kernel: -1) are reported by the domain check.
    if (!inputs || domainViolations(layerSchemas[node.kind].options, node.config as unknown as Record<string, unknown>).length > 0) continue;
    const outcome = (shapeRules[node.kind] as (n: LayerNode, i: Shape[]) => ShapeOutcome)(node, inputs);
    if ('code' in outcome) {
      result.diagnostics.push(diagnostic(outcome.code, 'error', outcome.message, file, node.span));
      continue;
    }
    // Duplicate names are reported elsewhere; the first node of a name keeps its shape.
    if (result.shapes.has(node.name)) continue;
    result.shapes.set(node.name, outcome.shape);
    result.params.set(node.name, outcome.params);
    result.nonTrainable.set(node.name, outcome.nonTrainable ?? 0);
  }
  return result;
}

/** The shapes of the node's inputs, or null when they are not all known or not the right number. */
function inputShapes(node: LayerNode, shapes: ReadonlyMap<string, Shape>, defined: ReadonlySet<string>): Shape[] | null {
  const count = node.inputs.length;
  const arityOk = node.kind === 'input' ? count === 0 : (MERGE_KINDS as readonly LayerKind[]).includes(node.kind) ? count >= 2 : count === 1;
  if (!arityOk) return null;
  const found: Shape[] = [];
  for (const ref of node.inputs) {
    const shape = defined.has(ref.name) ? shapes.get(ref.name) : undefined;
    if (!shape || ref.name === node.name) return null;
    found.push(shape);
  }
  return found;
}

/** Sum of every node's parameters. */
export function totalParams(inference: ShapeInference): number {
  let total = 0;
  for (const count of inference.params.values()) total += count;
  return total;
}
