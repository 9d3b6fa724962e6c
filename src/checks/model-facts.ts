/** Small questions about the model graph that several rules ask. */
import type { Span } from '../diagnostics/diagnostic.js';
import { MERGE_KINDS, type Activation, type LayerKind, type LayerNode, type ModelIR } from '../ir/types.js';

/** The first node of each name (later duplicates are reported by duplicate-names). */
export function nodesByName(model: ModelIR): Map<string, LayerNode> {
  const map = new Map<string, LayerNode>();
  for (const node of model.nodes) if (!map.has(node.name)) map.set(node.name, node);
  return map;
}

export const isMerge = (kind: LayerKind): boolean => (MERGE_KINDS as readonly LayerKind[]).includes(kind);

/** The single output node, when the model has exactly one that exists. */
export function soleOutput(model: ModelIR): LayerNode | null {
  if (model.outputs.length !== 1) return null;
  return nodesByName(model).get(model.outputs[0]!) ?? null;
}

/** The single input node, when the model has exactly one. */
export function soleInput(model: ModelIR): (LayerNode & { kind: 'input' }) | null {
  const inputs = model.nodes.filter((node): node is LayerNode & { kind: 'input' } => node.kind === 'input');
  return inputs.length === 1 ? inputs[0]! : null;
}

/**
 * The activation a node's output ends with and where it was written: the `activation` option of
 * a layer, or an `activation(fn)` layer. Dropout passes its input's activation through.
 */
export function finalActivation(node: LayerNode, model: ModelIR): { fn: Activation; span: Span } | null {
  const byName = nodesByName(model);
  let current: LayerNode | undefined = node;
  for (let hops = 0; current && hops < model.nodes.length; hops++) {
    if (current.kind === 'activation') return { fn: current.config.fn, span: current.spans.fn ?? current.span };
    if (current.kind === 'dropout') {
      current = current.inputs.length === 1 ? byName.get(current.inputs[0]!.name) : undefined;
      continue;
    }
    const config = current.config as { activation?: Activation };
    if (config.activation === undefined) return null;
    const spans = current.spans as Record<string, Span | undefined>;
    return { fn: config.activation, span: spans.activation ?? current.span };
  }
  return null;
}

/** Where to point at a node's output width: its `units`/`filters`/`dim` value if written, else the node. */
export function widthSpan(node: LayerNode): Span {
  const spans = node.spans as Record<string, Span | undefined>;
  return spans.units ?? spans.filters ?? spans.dim ?? node.span;
}
