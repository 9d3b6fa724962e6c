/** Schemas of the losses. */
import type { LossIR } from '../types.js';
import { byDefault, positive, type CallSchema, type OptionSchema } from './types.js';

const fromLogits: OptionSchema = {
  name: 'from_logits',
  type: { kind: 'bool' },
  default: byDefault(false),
  doc: 'The model outputs logits (no sigmoid/softmax); the loss applies it.',
};

export const lossSchemas: Record<LossIR['kind'], CallSchema> = {
  mse: { name: 'mse', doc: 'Mean squared error.', positional: [], options: [] },
  mae: { name: 'mae', doc: 'Mean absolute error.', positional: [], options: [] },
  huber: {
    name: 'huber',
    doc: 'Huber loss: squared below delta, linear above.',
    positional: ['delta'],
    options: [{ name: 'delta', type: { kind: 'number' }, default: byDefault(1), domain: positive, doc: 'Where the loss turns linear.' }],
  },
  binary_cross_entropy: {
    name: 'binary_cross_entropy',
    doc: 'Binary cross-entropy for one output unit and 0/1 labels.',
    positional: [],
    options: [fromLogits],
  },
  categorical_cross_entropy: {
    name: 'categorical_cross_entropy',
    doc: 'Cross-entropy against one-hot labels (the data is one-hot encoded automatically).',
    positional: [],
    options: [fromLogits],
  },
  sparse_categorical_cross_entropy: {
    name: 'sparse_categorical_cross_entropy',
    doc: 'Cross-entropy against class-index labels.',
    positional: [],
    options: [fromLogits],
  },
};

/** Losses that compare class probabilities with labels (everything else is a regression loss). */
export const classificationLosses: readonly LossIR['kind'][] = [
  'binary_cross_entropy',
  'categorical_cross_entropy',
  'sparse_categorical_cross_entropy',
];
