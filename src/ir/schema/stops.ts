/** Schemas of the stop rules. */
import type { StopIR } from '../types.js';
import { inferMode, modeType } from './enums.js';
import { byDefault, derived, nonNegative, positive, type CallSchema } from './types.js';

export const stopSchemas: Record<StopIR['kind'], CallSchema> = {
  epochs: { name: 'epochs', doc: 'Train for train.epochs epochs.', positional: [], options: [] },
  converged: {
    name: 'converged',
    doc: 'Stop when |change of monitor| < tolerance for patience consecutive epochs.',
    positional: ['monitor'],
    options: [
      { name: 'monitor', type: { kind: 'name' }, default: byDefault('loss'), doc: 'Metric watched after each epoch.' },
      { name: 'tolerance', type: { kind: 'number' }, default: byDefault(1e-6), domain: positive, doc: 'Smallest change that counts.' },
      { name: 'patience', type: { kind: 'int' }, default: byDefault(3), domain: nonNegative, doc: 'Consecutive epochs below tolerance.' },
    ],
  },
  early: {
    name: 'early',
    doc: 'Early stopping: stop when monitor has not improved by min_delta for patience epochs.',
    positional: ['monitor'],
    options: [
      { name: 'monitor', type: { kind: 'name' }, default: byDefault('val_loss'), doc: 'Metric watched after each epoch.' },
      { name: 'mode', type: modeType, default: derived('max for accuracy-like monitors, else min'), doc: 'Whether smaller or larger is better.' },
      { name: 'patience', type: { kind: 'int' }, default: byDefault(0), domain: nonNegative, doc: 'Epochs without improvement before stopping.' },
      { name: 'min_delta', type: { kind: 'number' }, default: byDefault(0), domain: nonNegative, doc: 'Smallest change that counts as an improvement.' },
      { name: 'restore_best', type: { kind: 'bool' }, default: byDefault(false), doc: 'Restore the weights of the best epoch at the end.' },
    ],
    derive: (config) => {
      if (config.mode === undefined) config.mode = inferMode(String(config.monitor));
    },
  },
};
