/**
 * A Keras-style model summary: one row per node with its kind, output shape (per sample,
 * without the batch dimension), parameter count and inputs, then the totals.
 */
import { formatShape } from './shape-rules.js';
import { inferShapes } from './shapes.js';
import type { ModelIR, SpecIR } from './types.js';

export function modelSummary(ir: SpecIR | ModelIR): string {
  const model = 'model' in ir ? ir.model : ir;
  const inference = inferShapes(model, 'file' in ir ? ir.file : '');
  const header = ['Layer (type)', 'Output shape', 'Param #', 'Inputs'];
  const rows = model.nodes.map((node) => {
    const shape = inference.shapes.get(node.name);
    const params = inference.params.get(node.name);
    return [
      `${node.name} (${node.kind})`,
      shape ? formatShape(shape) : '?',
      params === undefined ? '?' : params.toLocaleString('en-US'),
      node.inputs.map((ref) => ref.name).join(', '),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('   ')
      .trimEnd();
  const rule = (char: string): string => char.repeat(widths.reduce((sum, width) => sum + width, 0) + 3 * (widths.length - 1));

  let total = 0;
  let frozen = 0;
  for (const node of model.nodes) {
    total += inference.params.get(node.name) ?? 0;
    frozen += inference.nonTrainable.get(node.name) ?? 0;
  }
  const unknown = model.nodes.some((node) => !inference.params.has(node.name));
  const count = (n: number): string => `${n.toLocaleString('en-US')}${unknown ? ' (not counting layers marked ?)' : ''}`;
  return [
    rule('='),
    line(header),
    rule('='),
    ...rows.map(line),
    rule('='),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(total - frozen)}`,
    `Non-trainable params: ${count(frozen)}`,
    `Inputs: ${model.inputs.join(', ') || '(none)'}   Outputs: ${model.outputs.join(', ')}`,
    rule('='),
  ].join('\n');
}
