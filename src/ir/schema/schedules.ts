/** Schemas of the learning-rate schedules. */
import type { ScheduleIR } from '../types.js';
import { inferMode, modeType, unitType } from './enums.js';
import { atLeastOne, byDefault, derived, nonNegative, openUnit, positive, required, type CallSchema, type OptionSchema } from './types.js';

const int = { kind: 'int' } as const;
const number = { kind: 'number' } as const;
const bool = { kind: 'bool' } as const;

/** Keras-style decays count optimizer steps; PyTorch-style step decays count epochs. */
const unit = (value: 'step' | 'epoch'): OptionSchema => ({ name: 'unit', type: unitType, default: byDefault(value), doc: 'What t counts: optimizer steps or epochs.' });
const every: OptionSchema = { name: 'every', type: int, default: required, domain: atLeastOne, doc: 'Length of one decay period, in units.' };
const staircase: OptionSchema = { name: 'staircase', type: bool, default: byDefault(false), doc: 'Decay in whole periods (floor(t / every)).' };
const steps = (doc: string): OptionSchema => ({ name: 'steps', type: int, default: required, domain: atLeastOne, doc });

export const scheduleSchemas: Record<ScheduleIR['kind'], CallSchema> = {
  constant: { name: 'constant', doc: 'The optimizer\'s lr throughout.', positional: [], options: [] },
  exponential: {
    name: 'exponential',
    doc: 'lr * rate^(t / every).',
    positional: ['rate', 'every'],
    options: [
      { name: 'rate', type: number, default: required, domain: openUnit, doc: 'Factor per period.' },
      every,
      staircase,
      unit('step'),
    ],
  },
  step: {
    name: 'step',
    doc: 'lr * factor^floor(t / every).',
    positional: ['every', 'factor'],
    options: [every, { name: 'factor', type: number, default: byDefault(0.1), domain: openUnit, doc: 'Factor per period.' }, unit('epoch')],
  },
  multistep: {
    name: 'multistep',
    doc: 'lr * factor^(number of milestones <= t).',
    positional: ['milestones', 'factor'],
    options: [
      { name: 'milestones', type: { kind: 'ints' }, default: required, domain: nonNegative, doc: 'Increasing values of t where the rate drops.' },
      { name: 'factor', type: number, default: byDefault(0.1), domain: openUnit, doc: 'Factor per milestone.' },
      unit('epoch'),
    ],
  },
  piecewise: {
    name: 'piecewise',
    doc: 'values[i] while boundaries[i-1] <= t < boundaries[i] (the optimizer\'s lr is ignored).',
    positional: ['boundaries', 'values'],
    options: [
      { name: 'boundaries', type: { kind: 'ints' }, default: required, domain: nonNegative, doc: 'Increasing values of t.' },
      { name: 'values', type: { kind: 'numbers' }, default: required, domain: positive, doc: 'Learning rates; one more than boundaries.' },
      unit('step'),
    ],
  },
  inverse_time: {
    name: 'inverse_time',
    doc: 'lr / (1 + rate * t / every).',
    positional: ['rate', 'every'],
    options: [{ name: 'rate', type: number, default: required, domain: positive, doc: 'Decay rate.' }, every, staircase, unit('step')],
  },
  polynomial: {
    name: 'polynomial',
    doc: '(lr - end) * (1 - min(t, steps) / steps)^power + end.',
    positional: ['steps'],
    options: [
      steps('Steps to reach end.'),
      { name: 'end', type: number, default: byDefault(0.0001), domain: nonNegative, doc: 'Final learning rate.' },
      { name: 'power', type: number, default: byDefault(1), domain: positive, doc: 'Exponent.' },
      unit('step'),
    ],
  },
  cosine: {
    name: 'cosine',
    doc: 'min + (lr - min) * (1 + cos(pi * min(t, steps) / steps)) / 2.',
    positional: ['steps'],
    options: [steps('Length of the decay.'), { name: 'min', type: number, default: byDefault(0), domain: nonNegative, doc: 'Final learning rate.' }, unit('step')],
  },
  warmup: {
    name: 'warmup',
    doc: 'lr * (t + 1) / steps for t < steps, then the `then` schedule counted from the end of warm-up.',
    positional: ['steps', 'then'],
    options: [
      steps('Length of the warm-up.'),
      { name: 'then', type: { kind: 'call', family: 'schedule' }, default: byDefault({ kind: 'constant' }), doc: 'Schedule after warm-up.' },
      unit('step'),
    ],
  },
  plateau: {
    name: 'plateau',
    doc: 'Multiply the rate by factor when monitor has not improved by threshold for patience epochs (reduce on plateau).',
    positional: ['monitor'],
    options: [
      { name: 'monitor', type: { kind: 'name' }, default: byDefault('val_loss'), doc: 'Metric watched after each epoch.' },
      { name: 'mode', type: modeType, default: derived('max for accuracy-like monitors, else min'), doc: 'Whether smaller or larger is better.' },
      { name: 'factor', type: number, default: byDefault(0.1), domain: openUnit, doc: 'Factor applied on a plateau.' },
      { name: 'patience', type: int, default: byDefault(10), domain: nonNegative, doc: 'Epochs without improvement before reducing.' },
      { name: 'cooldown', type: int, default: byDefault(0), domain: nonNegative, doc: 'Epochs to wait after a reduction.' },
      { name: 'min', type: number, default: byDefault(0), domain: nonNegative, doc: 'Lower bound on the rate.' },
      { name: 'threshold', type: number, default: byDefault(0.0001), domain: nonNegative, doc: 'Smallest change that counts as an improvement.' },
    ],
    derive: (config) => {
      if (config.mode === undefined) config.mode = inferMode(String(config.monitor));
    },
  },
};
