/** The items a spec file may contain at its top level. */
import { dataSchema } from './data.js';
import { trainSchema } from './train.js';
import type { CallFamily } from './types.js';

export type TopLevelEntry =
  | { name: string; shape: 'section'; required: boolean; doc: string }
  | { name: string; shape: 'property'; family: CallFamily; required: boolean; doc: string };

export const topLevelEntries: readonly TopLevelEntry[] = [
  { name: 'model', shape: 'section', required: true, doc: 'The layers.' },
  { name: 'data', shape: 'section', required: true, doc: dataSchema.doc },
  { name: 'loss', shape: 'property', family: 'loss', required: true, doc: 'The loss minimised.' },
  { name: 'optimizer', shape: 'property', family: 'optimizer', required: true, doc: 'The update rule.' },
  { name: 'clip', shape: 'property', family: 'clip', required: false, doc: 'Gradient clipping (none by default).' },
  { name: 'schedule', shape: 'property', family: 'schedule', required: false, doc: 'Learning-rate schedule (constant by default).' },
  { name: 'train', shape: 'section', required: false, doc: trainSchema.doc },
];
