import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatShape } from '../ir/shape-rules.js';
import { didYouMean } from '../ir/suggest.js';
import type { CsvSource } from '../ir/types.js';
import { firstBadInteger, TOKEN_ID_MAX } from './data-integer-features.js';
import type { DataFacts } from './data-facts.js';
import { nodesByName } from './model-facts.js';
import { defineRule } from './rule.js';
import { columnKind, distinctValues, inputNodes, resolvedColumns, trainingFileRows, typedColumnsInUse, type InputNode } from './typed-column-facts.js';

/** Values per sample a column gives its input: 1, or for a one-hot category its training values plus one for unseen ones. */
function columnWidth(source: CsvSource, name: string, input: InputNode, cells: readonly string[] | null): number | null {
  if (columnKind(source, name, input) !== 'category' || input.config.dtype === 'int32') return 1;
  return cells ? distinctValues(cells).length + 1 : null;
}

/** The cells of the training rows only. */
const pick = (cells: readonly string[], rows: readonly number[]): string[] => rows.map((row) => cells[row] ?? '');

export const inputColumns = defineRule({
  id: 'input-columns',
  description: 'Inputs that read columns (input(from: [...])) name feature columns of a CSV file, each read by one input; each input\'s shape holds its columns (a one-hot category counts its values plus one); int32 inputs get integer tokens or category ids within the embedding\'s vocab.',
  needs: ['model', 'data', 'train'],
  check(ir, context) {
    if (!typedColumnsInUse(ir)) return [];
    const source = ir.data.source;
    const inputs = inputNodes(ir.model);
    const found: Diagnostic[] = [];
    if (source.kind !== 'csv') {
      for (const input of inputs.filter((node) => node.config.from !== null)) {
        found.push(diagnostic('E0539', 'error', `Input '${input.name}' reads columns (from: ...), but ${context.data().origin} has none; from needs data from csv(...).`, context.file, input.spans.from ?? input.span));
      }
      return found;
    }
    const facts = context.data();
    const reader = new Map<string, InputNode>();
    const columnsOf = resolvedColumns(source, ir.model, facts.header).inputs;
    for (const input of inputs) {
      if ((input.config.normalize ?? 'none') !== 'none' && input.config.dtype === 'int32') {
        found.push(diagnostic('E0526', 'error', `Input '${input.name}' is int32 (token or category ids), which normalize: ${input.config.normalize} cannot scale; remove normalize from the input.`, context.file, input.spans.normalize ?? input.span));
      }
      const from = columnsOf.get(input.name) ?? null;
      if (from === null) continue;
      const span = input.spans.from ?? input.span;
      if (source.features !== null) {
        found.push(diagnostic('E0537', 'error', `Input '${input.name}' names its columns (from: ...) and csv(...) also lists features; keep one of them: with from, each input's columns are its features.`, context.file, source.spans.features ?? span));
      }
      for (const name of from) {
        const other = reader.get(name);
        if (other) {
          found.push(diagnostic('E0537', 'error', `Column '${name}' is read by inputs '${other.name}' and '${input.name}'; give each column to one input.`, context.file, span));
          continue;
        }
        reader.set(name, input);
        if (name === source.label) {
          found.push(diagnostic('E0519', 'error', `Input '${input.name}' reads the label column '${name}'; the label is what the model predicts, so remove it from from.`, context.file, span));
        } else if (facts.header && !facts.header.includes(name)) {
          const hint = didYouMean(name, facts.header.filter((column) => column !== source.label)) || ` Its columns are: ${facts.header.join(', ')}.`;
          found.push(diagnostic('E0515', 'error', `The data file '${source.path ?? source.train}' has no column '${name}' (read by input '${input.name}').${hint}`, context.file, span));
        }
      }
    }
    if (found.length > 0 || !facts.featureNames) return found;
    // With several inputs, one without `from` is E0207 (model-inputs-outputs.ts): its columns are unknown.
    const checkable = inputs.length > 1 ? inputs.filter((input) => input.config.from !== null) : inputs;
    const training = trainingFileRows(ir.data, ir.train.seed, facts, [...reader.keys()].length > 0 ? [...reader.keys()] : facts.featureNames, ir.model);
    if (!training) return found;
    for (const input of checkable) found.push(...inputShapeAndTokens(ir.model, source, input, columnsOf.get(input.name) ?? null, facts, training, context.file));
    return found;
  },
});

/** The input's shape against its columns, and its int32 columns against the embeddings it feeds. */
function inputShapeAndTokens(model: Parameters<typeof nodesByName>[0], source: CsvSource, input: InputNode, from: string[] | null, facts: DataFacts, training: readonly number[], file: string): Diagnostic[] {
  const names = from ?? facts.featureNames!;
  const all = facts.featureColumns();
  const cellsOf = (name: string): string[] | null => {
    const index = facts.featureNames!.indexOf(name);
    return index >= 0 && all ? all[index]! : null;
  };
  const trainingCellsOf = (name: string): string[] | null => {
    const cells = cellsOf(name);
    return cells ? pick(cells, training) : null;
  };
  const widths = names.map((name) => columnWidth(source, name, input, trainingCellsOf(name)));
  if (widths.some((width) => width === null)) return [];
  const width = (widths as number[]).reduce((a, b) => a + b, 0);
  const size = input.config.shape.reduce((a, b) => a * b, 1);
  const found: Diagnostic[] = [];
  if (size !== width) {
    const parts = names.map((name, i) => (widths[i]! > 1 ? `'${name}' one-hot ${widths[i]}` : `'${name}' 1`)).join(', ');
    const message = `Input '${input.name}' has shape ${formatShape(input.config.shape)} (${size} value${size === 1 ? '' : 's'}) but its columns give ${width} (${parts}; a one-hot category has one column per value of the training split plus one for unseen values); write input(shape: [${width}]).`;
    const found604 = diagnostic('E0604', 'error', message, file, input.spans.shape ?? input.span);
    const shapeSpan = input.spans.shape;
    found.push(shapeSpan ? { ...found604, fixes: [{ title: `Write input(shape: [${width}])`, edits: [{ span: shapeSpan, newText: `[${width}]` }] }] } : found604);
  }
  if (input.config.dtype !== 'int32') return found;
  const byName = nodesByName(model);
  const embeddings = model.nodes.filter((node) => node.kind === 'embedding' && node.inputs[0]?.name === input.name);
  const tokens = names.filter((name) => columnKind(source, name, input) === 'tokens');
  const tokenCells = tokens.map((name) => cellsOf(name) ?? []);
  const bad = firstBadInteger(tokens, tokenCells, -TOKEN_ID_MAX, TOKEN_ID_MAX);
  if (bad) {
    const message = `Input '${input.name}' is int32, but column '${bad.column}' of ${facts.origin} holds \`${bad.text}\` (data row ${bad.row}), which is not an integer token id; list the column in category if it holds names, or read it with a float32 input.`;
    found.push(diagnostic('E0606', 'error', message, file, input.spans.dtype ?? input.span));
    return found;
  }
  for (const node of embeddings) {
    if (node.kind !== 'embedding' || !byName.has(input.name)) continue;
    for (const name of names) {
      const kind = columnKind(source, name, input);
      const cells = cellsOf(name) ?? [];
      if (kind === 'category' || kind === 'binary') {
        const needed = kind === 'binary' ? 2 : distinctValues(pick(cells, training)).length + 1;
        if (node.config.vocab >= needed) continue;
        const message = `Layer '${node.name}' (embedding) has vocab ${node.config.vocab}, but category column '${name}' of ${facts.origin} has ${needed - 1} values in the training split, which take ids 1 to ${needed - 1} (0 is for unseen values); raise vocab to at least ${needed}.`;
        found.push(diagnostic('E0611', 'error', message, file, node.spans.vocab ?? node.span));
        continue;
      }
      const outside = firstBadInteger([name], [cells], 0, node.config.vocab - 1);
      if (!outside) continue;
      const message = `Layer '${node.name}' (embedding) has vocab ${node.config.vocab}, but column '${name}' of ${facts.origin} holds token id ${outside.text} (data row ${outside.row}); ids must lie in [0, ${node.config.vocab - 1}]: raise vocab or fix the cell.`;
      found.push(diagnostic('E0611', 'error', message, file, node.spans.vocab ?? node.span));
    }
  }
  return found;
}
