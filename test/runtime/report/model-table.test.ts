import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportModelTable } from '../../../src/runtime/report/model-table.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('reportModelTable', () => {
  it('lists each layer of the built model with its kind, class, shape and parameters', () => {
    const input = tf.input({ shape: [4], name: 'x' });
    const hidden = tf.layers.dense({ units: 16, name: 'h' }).apply(input) as tf.SymbolicTensor;
    const norm = tf.layers.batchNormalization({ name: 'bn' }).apply(hidden) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3, name: 'out' }).apply(norm) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const graph = {
      nodes: [
        { name: 'x', layer: 'input', config: {}, inputs: [] },
        { name: 'h', layer: 'dense', config: {}, inputs: ['x'] },
        { name: 'bn', layer: 'batch_norm', config: {}, inputs: ['h'] },
        { name: 'out', layer: 'dense', config: {}, inputs: ['bn'] },
      ],
      inputs: ['x'],
      outputs: ['out'],
    };
    const table = reportModelTable(model, graph);
    // dense 4 -> 16: 4*16 + 16; batch norm over 16: gamma, beta (trainable), moving mean and variance; dense 16 -> 3: 16*3 + 3.
    expect(table.layers).toEqual([
      { name: 'x', kind: 'input', className: 'InputLayer', outputShape: '[4]', params: 0 },
      { name: 'h', kind: 'dense', className: 'Dense', outputShape: '[16]', params: 80 },
      { name: 'bn', kind: 'batch_norm', className: 'BatchNormalization', outputShape: '[16]', params: 64 },
      { name: 'out', kind: 'dense', className: 'Dense', outputShape: '[3]', params: 51 },
    ]);
    expect(table.totalParams).toBe(80 + 64 + 51);
    expect(table.trainableParams).toBe(80 + 32 + 51);
    model.dispose();
  });

  it("shows the spec's name of a node whose tfjs layer name carries a prefix", () => {
    const input = tf.input({ shape: [2], name: 'x' });
    const out = tf.layers.dense({ units: 1, name: 'node-_h' }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const graph = { nodes: [{ name: 'x', layer: 'input', config: {}, inputs: [] }, { name: '_h', layer: 'dense', config: {}, inputs: ['x'] }], inputs: ['x'], outputs: ['_h'] };
    expect(reportModelTable(model, graph).layers[1]).toEqual({ name: '_h', kind: 'dense', className: 'Dense', outputShape: '[1]', params: 3 });
    model.dispose();
  });
});
