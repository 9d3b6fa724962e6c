/** The identifier sets used as option values. Each list is checked against src/ir/types.ts. */
import type { Activation, Initializer, MetricName, Padding } from '../types.js';
import type { ValueType } from './types.js';

export const activations = [
  'linear',
  'relu',
  'sigmoid',
  'tanh',
  'softmax',
  'elu',
  'selu',
  'gelu',
  'softplus',
  'swish',
  'leaky_relu',
] as const satisfies readonly Activation[];

export const initializers = [
  'glorot_uniform',
  'glorot_normal',
  'he_uniform',
  'he_normal',
  'lecun_uniform',
  'lecun_normal',
  'zeros',
  'ones',
  'random_normal',
  'random_uniform',
  'orthogonal',
] as const satisfies readonly Initializer[];

export const paddings = ['valid', 'same'] as const satisfies readonly Padding[];

export const metricNames = [
  'loss',
  'accuracy',
  'mae',
  'mse',
  'rmse',
  'r2',
  'precision',
  'recall',
  'f1',
] as const satisfies readonly MetricName[];

export const activationType: ValueType = { kind: 'enum', of: 'activation', values: activations };
export const initializerType: ValueType = { kind: 'enum', of: 'initializer', values: initializers };
export const paddingType: ValueType = { kind: 'enum', of: 'padding', values: paddings };
export const unitType: ValueType = { kind: 'enum', of: 'unit', values: ['step', 'epoch'] };
export const modeType: ValueType = { kind: 'enum', of: 'mode', values: ['min', 'max'] };

/** Metrics where larger is better; a monitor named after one of them (or val_ of one) is maximised. */
const maximisedMetrics = ['accuracy', 'precision', 'recall', 'f1', 'r2', 'auc'];

/** Keras' rule for mode 'auto': accuracy-like monitors are maximised, everything else minimised. */
export function inferMode(monitor: string): 'min' | 'max' {
  const base = monitor.startsWith('val_') ? monitor.slice(4) : monitor;
  return maximisedMetrics.includes(base) || base.includes('acc') ? 'max' : 'min';
}
