import { expect, test } from 'vitest';
import { buildIR } from '../../src/ir/build.js';
import { modelSummary } from '../../src/ir/summary.js';
import { parse } from '../../src/syntax/parse.js';

const source = `model {
  x = input(shape: [4])
  h = dense(16, activation: relu) <- x
  n = batch_norm() <- h
  out = dense(3) <- n
}
data { source: random(samples: 10, features: 4, classes: 3) }
loss: sparse_categorical_cross_entropy(from_logits: true)
optimizer: adam
`;

test('modelSummary lists every node with kind, shape, parameters and inputs, then the totals', () => {
  const { ir } = buildIR(parse(source, 's.mlspec').ast, 's.mlspec');
  const text = modelSummary(ir!);
  const rows = text.split('\n');
  const row = (name: string): string[] => rows.find((line) => line.startsWith(`${name} (`))!.split(/\s{2,}/);
  // dense 4 -> 16: 4 * 16 + 16 = 80; batch norm over 16 channels: 4 * 16 = 64 (32 moving statistics); dense 16 -> 3: 51.
  expect(row('x')).toEqual(['x (input)', '[4]', '0']);
  expect(row('h')).toEqual(['h (dense)', '[16]', '80', 'x']);
  expect(row('n')).toEqual(['n (batch_norm)', '[16]', '64', 'h']);
  expect(row('out')).toEqual(['out (dense)', '[3]', '51', 'n']);
  expect(text).toContain(`Total params: ${80 + 64 + 51}`);
  expect(text).toContain(`Trainable params: ${80 + 32 + 51}`);
  expect(text).toContain('Non-trainable params: 32');
  expect(text).toContain('Inputs: x   Outputs: out');
});

test('a node without a known shape is marked and excluded from the totals', () => {
  const broken = source.replace('n = batch_norm() <- h', 'n = lstm(4) <- h');
  const { ir } = buildIR(parse(broken, 's.mlspec').ast, 's.mlspec');
  const text = modelSummary(ir!);
  expect(text).toMatch(/^n \(lstm\)\s+\?\s+\?\s+h$/m);
  expect(text).toContain('Total params: 80 (not counting layers marked ?)');
});
