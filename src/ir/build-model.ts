/**
 * Builds the model section: one node per layer statement, names as Keras generates them
 * (`dense_1`, `dense_2`, ...), implicit inputs (a node without `<-` takes the node before it)
 * and the `output:` property.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Item, Statement, Value } from '../syntax/ast.js';
import { buildCall } from './build-call.js';
import { showValue, type BuildContext } from './build-context.js';
import { didYouMean } from './suggest.js';
import type { InputRef, LayerNode, ModelIR } from './types.js';

export function buildModel(items: readonly Item[], span: Span, ctx: BuildContext): ModelIR | null {
  const statements: Statement[] = [];
  let outputValue: Value | null = null;

  for (const item of items) {
    if (item.kind === 'statement') {
      statements.push(item);
    } else if (item.kind === 'property' && item.key.name === 'output') {
      if (outputValue) ctx.error('E0107', `'output' is given more than once in the model section.`, item.key.span);
      else outputValue = item.value;
    } else if (item.kind === 'section') {
      ctx.error('E0110', `The model section holds layer statements; '${item.key.name} { ... }' cannot appear in it.`, item.key.span);
    } else {
      ctx.error('E0102', `The model section has no property '${item.key.name}'.${didYouMean(item.key.name, ['output'])}`, item.key.span, [
        'The model section holds layer statements such as dense(64) and an optional output: name.',
      ]);
    }
  }

  const nodes: LayerNode[] = [];
  const names = new NameGenerator(statements.flatMap((s) => (s.name ? [s.name.name] : [])));
  let usable = true;
  let previous: LayerNode | null = null;
  for (const statement of statements) {
    const built = buildCall('layer', statement.call, ctx);
    if (!built) {
      usable = false;
      continue;
    }
    const { kind, span: _callSpan, spans, ...config } = built;
    const inputs: InputRef[] =
      statement.inputs !== null
        ? statement.inputs.map((ref) => ({ name: ref.name, span: ref.span }))
        : kind === 'input' || previous === null
          ? []
          : [{ name: previous.name, span: statement.call.span }];
    const node = {
      kind,
      name: statement.name ? statement.name.name : names.next(kind),
      named: statement.name !== null,
      inputs,
      config,
      spans,
      span: statement.span,
    } as unknown as LayerNode;
    nodes.push(node);
    previous = node;
  }

  if (statements.length === 0) {
    ctx.fatal('E0106', 'The model section has no layers; start it with input(shape: [...]).', span);
    return null;
  }
  const outputs = outputValue ? readOutputs(outputValue, ctx) : null;
  if (!usable || !outputs && outputValue) {
    ctx.usable = false;
    return null;
  }
  const last = nodes[nodes.length - 1]!;
  return {
    nodes,
    inputs: nodes.filter((node) => node.kind === 'input').map((node) => node.name),
    outputs: outputs ? outputs.map((o) => o.name) : [last.name],
    outputSpans: outputs ? outputs.map((o) => o.span) : [last.span],
    span,
  };
}

/** `output: probs` or `output: [a, b]`; names may be written as identifiers or strings. */
function readOutputs(value: Value, ctx: BuildContext): InputRef[] | null {
  const values = value.kind === 'list' ? value.items : [value];
  const refs: InputRef[] = [];
  for (const item of values) {
    if (item.kind === 'ident') refs.push({ name: item.name, span: item.span });
    else if (item.kind === 'string') refs.push({ name: item.value, span: item.span });
    else ctx.error('E0105', `'output' expects a node name or a list of node names, got ${showValue(item)}.`, item.span);
  }
  if (refs.length !== values.length) return null;
  if (refs.length === 0) {
    ctx.error('E0105', `'output' expects at least one node name.`, value.span);
    return null;
  }
  return refs;
}

/** Keras-style names: the n-th unnamed node of a kind is `kind_n`, skipping names the author wrote. */
class NameGenerator {
  private readonly counters = new Map<string, number>();
  private readonly taken: Set<string>;

  constructor(written: readonly string[]) {
    this.taken = new Set(written);
  }

  next(kind: string): string {
    let n = this.counters.get(kind) ?? 0;
    let name: string;
    do {
      n += 1;
      name = `${kind}_${n}`;
    } while (this.taken.has(name));
    this.counters.set(kind, n);
    this.taken.add(name);
    return name;
  }
}
