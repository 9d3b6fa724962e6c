/** Small questions about typed columns (category, binary) and inputs that read columns (`from`), asked by several rules. */
import type { CsvSource, LayerNode, ModelIR } from '../ir/types.js';
import type { PartialSpecIR } from '../ir/build.js';

export type InputNode = LayerNode & { kind: 'input' };

export function inputNodes(model: ModelIR): InputNode[] {
  return model.nodes.filter((node): node is InputNode => node.kind === 'input');
}

/** True when the spec's features are encoded by type (column-types.ts) rather than read as numbers only. */
export function typedColumnsInUse(ir: PartialSpecIR): boolean {
  const source = ir.data?.source;
  const typed = source?.kind === 'csv' && ((source.category ?? null) !== null || (source.binary ?? null) !== null);
  return typed || (ir.model !== undefined && inputNodes(ir.model).some((node) => (node.config.from ?? null) !== null));
}

/** The type of a feature column, as the runtime encodes it. */
export function columnKind(source: CsvSource, name: string, input: InputNode | undefined): 'category' | 'binary' | 'tokens' | 'numeric' {
  if (source.category?.includes(name)) return 'category';
  if (source.binary?.includes(name)) return 'binary';
  return input?.config.dtype === 'int32' ? 'tokens' : 'numeric';
}

/** Distinct non-empty values of a column's cells. */
export function distinctValues(cells: readonly string[]): string[] {
  return [...new Set(cells.map((cell) => cell.trim()).filter((cell) => cell !== ''))];
}
