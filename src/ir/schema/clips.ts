/** Schemas of gradient clipping. */
import type { ClipIR } from '../types.js';
import { positive, required, type CallSchema } from './types.js';

const limit = (doc: string): CallSchema['options'] => [{ name: 'limit', type: { kind: 'number' }, default: required, domain: positive, doc }];

export const clipSchemas: Record<ClipIR['kind'], CallSchema> = {
  value: { name: 'value', doc: 'Clip every gradient element into [-limit, limit].', positional: ['limit'], options: limit('Largest absolute value.') },
  norm: { name: 'norm', doc: 'Rescale each gradient tensor whose L2 norm exceeds limit.', positional: ['limit'], options: limit('Largest norm per tensor.') },
  global_norm: {
    name: 'global_norm',
    doc: 'Rescale all gradients together when their joint L2 norm exceeds limit.',
    positional: ['limit'],
    options: limit('Largest joint norm.'),
  },
};
