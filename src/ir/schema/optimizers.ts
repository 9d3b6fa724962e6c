/** Schemas of the optimizers; defaults are those of Keras. */
import type { OptimizerIR } from '../types.js';
import { byDefault, fraction, nonNegative, positive, type CallSchema, type OptionSchema } from './types.js';
import { weightDecayWording } from './weight-decay.js';

const number = { kind: 'number' } as const;

const lr = (value: number): OptionSchema => ({ name: 'lr', type: number, default: byDefault(value), domain: positive, doc: 'Learning rate.' });
const weightDecay = (value: number, form: 'coupled' | 'decoupled' = 'coupled'): OptionSchema => ({
  name: 'weight_decay',
  type: number,
  default: byDefault(value),
  domain: nonNegative,
  doc: weightDecayWording[form].doc,
});
const epsilon: OptionSchema = { name: 'epsilon', type: number, default: byDefault(1e-7), domain: positive, doc: 'Added to the denominator.' };
const adamOptions = (decay: number, form: 'coupled' | 'decoupled' = 'coupled'): OptionSchema[] => [
  lr(0.001),
  { name: 'beta1', type: number, default: byDefault(0.9), domain: fraction, doc: 'Decay of the first-moment average.' },
  { name: 'beta2', type: number, default: byDefault(0.999), domain: fraction, doc: 'Decay of the second-moment average.' },
  epsilon,
  weightDecay(decay, form),
];

export const optimizerSchemas: Record<OptimizerIR['kind'], CallSchema> = {
  gd: {
    name: 'gd',
    doc: 'Plain gradient descent on the whole training split (always one full batch per step).',
    positional: ['lr'],
    options: [lr(0.01), weightDecay(0)],
  },
  sgd: { name: 'sgd', doc: 'Stochastic gradient descent: w <- w - lr * g.', positional: ['lr'], options: [lr(0.01), weightDecay(0)] },
  momentum: {
    name: 'momentum',
    doc: 'Gradient descent with momentum.',
    positional: ['lr'],
    options: [
      lr(0.01),
      { name: 'beta', type: number, default: byDefault(0.9), domain: fraction, doc: 'Momentum coefficient.' },
      {
        name: 'form',
        type: { kind: 'enum', of: 'momentum form', values: ['average', 'classical', 'nesterov'] },
        default: byDefault('average'),
        doc: 'average: v <- beta*v + (1-beta)*g; classical: v <- beta*v + g; nesterov: classical with look-ahead.',
      },
      weightDecay(0),
    ],
  },
  adam: { name: 'adam', doc: 'Adam.', positional: ['lr'], options: adamOptions(0) },
  adamw: { name: 'adamw', doc: 'Adam with decoupled weight decay.', positional: ['lr'], options: adamOptions(0.004, 'decoupled') },
  rmsprop: {
    name: 'rmsprop',
    doc: 'RMSprop.',
    positional: ['lr'],
    options: [
      lr(0.001),
      { name: 'rho', type: number, default: byDefault(0.9), domain: fraction, doc: 'Decay of the squared-gradient average.' },
      epsilon,
      { name: 'momentum', type: number, default: byDefault(0), domain: fraction, doc: 'Momentum coefficient.' },
      weightDecay(0),
    ],
  },
  adagrad: {
    name: 'adagrad',
    doc: 'Adagrad.',
    positional: ['lr'],
    options: [
      lr(0.001),
      epsilon,
      { name: 'initial_accumulator', type: number, default: byDefault(0.1), domain: nonNegative, doc: 'Starting value of the squared-gradient sums.' },
      weightDecay(0),
    ],
  },
};
