/** Every schema table, by family. */
import { clipSchemas } from './clips.js';
import { sourceSchemas } from './data.js';
import { layerSchemas } from './layers.js';
import { lossSchemas } from './losses.js';
import { optimizerSchemas } from './optimizers.js';
import { scheduleSchemas } from './schedules.js';
import { stopSchemas } from './stops.js';
import type { CallFamily, CallSchema } from './types.js';

export const callSchemas: Record<CallFamily, Readonly<Record<string, CallSchema>>> = {
  layer: layerSchemas,
  source: sourceSchemas,
  loss: lossSchemas,
  optimizer: optimizerSchemas,
  clip: clipSchemas,
  schedule: scheduleSchemas,
  stop: stopSchemas,
};

/** Singular nouns for messages: "Unknown optimizer 'adma'." */
export const familyNames: Record<CallFamily, string> = {
  layer: 'layer',
  source: 'data source',
  loss: 'loss',
  optimizer: 'optimizer',
  clip: 'clipping rule',
  schedule: 'schedule',
  stop: 'stop rule',
};

export const familyPlurals: Record<CallFamily, string> = {
  layer: 'layers',
  source: 'data sources',
  loss: 'losses',
  optimizer: 'optimizers',
  clip: 'clipping rules',
  schedule: 'schedules',
  stop: 'stop rules',
};

/** The schema of `name` in `family`, or undefined (also for names like `toString`). */
export function findCallSchema(family: CallFamily, name: string): CallSchema | undefined {
  const table = callSchemas[family];
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

export { clipSchemas, layerSchemas, lossSchemas, optimizerSchemas, scheduleSchemas, sourceSchemas, stopSchemas };
export { dataSchema, splitSchema } from './data.js';
export { trainSchema } from './train.js';
export { topLevelEntries } from './top-level.js';
export * from './types.js';
