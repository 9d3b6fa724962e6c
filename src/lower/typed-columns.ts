/**
 * The typed-column options of a CSV source (category, binary) and the model's inputs that read
 * columns (`input(from: [...])`), lowered into the data config. Options left unset are dropped,
 * so the plan of a spec without them is exactly what it was before they existed.
 */
import type { JsonValue } from '../runtime/contracts.js';
import type { SpecIR } from '../ir/types.js';

export function lowerTypedColumns(ir: SpecIR, source: { [key: string]: JsonValue }): { [key: string]: JsonValue } {
  if (source.kind !== 'csv') return source;
  const out = { ...source };
  for (const key of ['category', 'binary']) if (out[key] === null || out[key] === undefined) delete out[key];
  const inputs = ir.model.nodes.filter((node) => node.kind === 'input');
  const written = (node: (typeof inputs)[number]): boolean =>
    node.kind === 'input' && ((node.config.from ?? null) !== null || (node.config.normalize ?? null) !== null || (node.config.missing ?? null) !== null);
  if (out.category !== undefined || out.binary !== undefined || inputs.some(written)) {
    // The inputs, in the model's input order, each with its columns: x packs them side by side.
    out.inputs = ir.model.inputs.map((name) => {
      const node = inputs.find((candidate) => candidate.name === name)!;
      const config = node.config as { from: string[] | null; dtype: string; shape: number[]; normalize?: string | null; missing?: string | null };
      const entry: { [key: string]: JsonValue } = { name, from: config.from ?? [], dtype: config.dtype, width: config.shape.reduce((a, b) => a * b, 1) };
      if ((config.normalize ?? null) !== null) entry.normalize = config.normalize!;
      if ((config.missing ?? null) !== null) entry.missing = config.missing!;
      return entry;
    });
    // The one input of a spec without `from` reads every feature: its `missing` is the source's.
    const sole = inputs.length === 1 && inputs[0]!.kind === 'input' ? inputs[0]!.config : null;
    if (sole && (sole.from ?? null) === null && (sole.missing ?? null) !== null) out.missing = sole.missing!;
    if (inputs.some((node) => node.kind === 'input' && (node.config.from ?? null) !== null)) {
      out.features = (out.inputs as { from: string[] }[]).flatMap((input) => input.from);
    }
  }
  return out;
}
