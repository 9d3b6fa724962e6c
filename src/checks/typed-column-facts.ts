/** Small questions about typed columns (category, binary) and inputs that read columns (`from`), asked by several rules. */
import type { CsvSource, DataIR, LayerNode, ModelIR } from '../ir/types.js';
import type { PartialSpecIR } from '../ir/build.js';
import type { DataCsvConfig } from '../runtime/data/config.js';
import { csvResolveSelectors } from '../runtime/data/csv-selectors.js';
import { splitDataRows } from '../runtime/data/split.js';
import type { DataFacts } from './data-facts.js';

export type InputNode = LayerNode & { kind: 'input' };

export function inputNodes(model: ModelIR): InputNode[] {
  return model.nodes.filter((node): node is InputNode => node.kind === 'input');
}

/** True when the spec's features are encoded by type (column-types.ts) rather than read as numbers only. */
export function typedColumnsInUse(ir: PartialSpecIR): boolean {
  const source = ir.data?.source;
  const typed = source?.kind === 'csv' && ((source.category ?? null) !== null || (source.binary ?? null) !== null);
  return typed || (ir.model !== undefined && inputNodes(ir.model).some((node) => (node.config.from ?? null) !== null || (node.config.normalize ?? null) !== null || (node.config.missing ?? null) !== null));
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

/**
 * The file rows (indices into the facts' cells) the run trains on, found as the run finds them:
 * rows with an empty cell dropped under `missing: drop`, then the split of data.split with the
 * run's seed (split files: the train file's rows). Vocabularies come from these rows only.
 */
export function trainingFileRows(data: DataIR, seed: number, facts: DataFacts, usedColumns: readonly string[], model?: ModelIR): number[] | null {
  const source = data.source;
  if (source.kind !== 'csv' || !facts.featureNames || !facts.labelCells) return null;
  const columns = facts.featureColumns();
  if (!columns) return null;
  if (facts.trainFileRows !== undefined) return Array.from({ length: facts.trainFileRows }, (_, i) => i);
  // A column's rule: its input's `missing`, else the source's (the sole input's without `from` is the source's).
  const inputs = model ? inputNodes(model) : [];
  const columnsOf = resolvedColumns(source, model, facts.header).inputs;
  const ruleOf = (name: string): string =>
    inputs.find((input) => columnsOf.get(input.name)?.includes(name))?.config.missing ?? (inputs.length === 1 && inputs[0]!.config.from == null ? inputs[0]!.config.missing : null) ?? source.missing;
  const dropping = usedColumns
    .filter((name) => ruleOf(name) === 'drop')
    .map((name) => columns[facts.featureNames!.indexOf(name)])
    .filter((cells): cells is string[] => cells !== undefined);
  const kept = facts.labelCells
    .map((label, row) => ({ label, row }))
    .filter(({ label, row }) => (source.missing !== 'drop' || label !== '') && dropping.every((cells) => (cells[row] ?? '').trim() !== ''));
  const classes = new Map<string, number>();
  const strata = source.categorical ? kept.map(({ label }) => classes.get(label) ?? classes.set(label, classes.size).get(label)!) : null;
  const split = { train: data.split.train, validation: data.split.validation, test: data.split.test, stratify: data.split.stratify };
  const rows = splitDataRows(kept.length, split, { shuffle: data.shuffle, seed: data.seed ?? seed, strata });
  return rows.train.map((index) => kept[index]!.row);
}

/**
 * The columns each input reads and the csv features, with type selectors (`from: [numeric]`,
 * csv-selectors.ts) resolved against the header as the run resolves them; an input without
 * `from` maps to null.
 */
export function resolvedColumns(source: CsvSource, model: ModelIR | undefined, header: readonly string[] | null): { inputs: Map<string, string[] | null>; features: string[] | null } {
  const nodes = model ? inputNodes(model) : [];
  const config = {
    label: source.label,
    features: source.features,
    category: source.category ?? undefined,
    binary: source.binary ?? undefined,
    inputs: nodes.map((node) => ({ name: node.name, from: node.config.from ?? [], dtype: node.config.dtype, width: 1 })),
  } as unknown as DataCsvConfig;
  const resolved = header ? csvResolveSelectors(config, header) : config;
  const inputs = new Map(nodes.map((node, i) => [node.name, node.config.from === null || node.config.from === undefined ? null : resolved.inputs![i]!.from]));
  const fromWritten = nodes.some((node) => (node.config.from ?? null) !== null);
  return { inputs, features: fromWritten ? null : resolved.features };
}
