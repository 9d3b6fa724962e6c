/**
 * Several model inputs in the PyTorch program: x holds the inputs' columns side by side, in model
 * input order (src/runtime/layers/column-slice.ts does the same in tfjs), so forward() slices each
 * input out, reshapes it to the input's shape, and casts an int32 input to integers.
 */
import type { SpecIR } from '../../ir/types.js';

export function packedInputLines(ir: SpecIR, names: ReadonlyMap<string, string>, packed: string): string[] {
  const lines: string[] = [];
  let offset = 0;
  for (const name of ir.model.inputs) {
    const node = ir.model.nodes.find((candidate) => candidate.kind === 'input' && candidate.name === name);
    if (!node || node.kind !== 'input') continue;
    const size = node.config.shape.reduce((a, b) => a * b, 1);
    const cast = node.config.dtype === 'int32' ? '.long()' : '';
    lines.push(`${names.get(name)!} = ${packed}[:, ${offset}:${offset + size}].reshape([-1, ${node.config.shape.join(', ')}])${cast}`);
    offset += size;
  }
  return lines;
}
