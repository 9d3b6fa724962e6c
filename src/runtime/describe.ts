/**
 * What a program trains, in words a run folder can keep: each runtime factory's object remembers
 * its kind and config (factories.ts wraps every factory with `described`), and a built model is
 * described from its own layers. `mlspec run` and a compiled (and perhaps edited) program both
 * record these descriptions in summary.json and the report, and fingerprint them in checkpoints,
 * so a run folder says what actually ran, not what the spec said.
 */
import { createHash } from 'node:crypto';
import type * as tf from '@tensorflow/tfjs';
import type { JsonValue } from './contracts.js';

export type PartDescription = { kind: string } & { [key: string]: JsonValue };

const descriptions = new WeakMap<object, PartDescription>();

/** A config as JSON: described objects inside it (a warmup's `then`) become their descriptions. */
function describeValue(value: unknown): JsonValue {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return typeof value === 'function' ? null : (value as JsonValue);
  const known = descriptions.get(value);
  if (known) return known;
  if (Array.isArray(value)) return value.map(describeValue);
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, describeValue(v)]));
}

/** The same factory, whose results remember `{ kind, ...config }`. */
export function described<A extends unknown[], T extends object>(kind: string, factory: (...args: A) => T): (...args: A) => T {
  return (...args: A): T => {
    const made = factory(...args);
    const config = describeValue(args[0] ?? {});
    descriptions.set(made, { kind, ...(config !== null && typeof config === 'object' && !Array.isArray(config) ? config : {}) });
    return made;
  };
}

/** The description of a factory's object, or `{ kind: 'custom' }` for one made some other way. */
export function descriptionOf(value: object | null): PartDescription | null {
  if (value === null) return null;
  return descriptions.get(value) ?? { kind: 'custom' };
}

/** Layer options worth showing in a model's description (tfjs names). */
const SHOWN_OPTIONS = [
  'batchInputShape', 'units', 'filters', 'kernelSize', 'strides', 'padding', 'poolSize', 'activation', 'useBias',
  'rate', 'targetShape', 'inputDim', 'outputDim', 'returnSequences', 'heads', 'numHeads', 'ff', 'maxLength',
];

/** Each layer of a built model: its name, tfjs class and main options, read from the model itself. */
export function describeModel(model: tf.LayersModel): JsonValue[] {
  return model.layers.map((layer) => {
    const config = layer.getConfig() as Record<string, unknown>;
    const shown: { [key: string]: JsonValue } = { name: layer.name, class: layer.getClassName() };
    for (const key of SHOWN_OPTIONS) if (config[key] !== undefined) shown[key] = describeValue(config[key]);
    return shown;
  });
}

/** The whole model as tfjs serialises it (every layer's full config, initializers and seeds included). */
function modelTopology(model: tf.LayersModel): JsonValue {
  return describeValue(model.layers.map((layer) => ({ class: layer.getClassName(), config: layer.getConfig(), inbound: layer.inboundNodes.map((n) => n.inboundLayers.map((l) => l.name)) })));
}

/** A short, stable digest of a JSON value, compared on resume. */
export function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

/** Without the seeds derived from the run's seed (initializers, dropout): a checkpoint compares the seed on its own. */
function withoutSeeds(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutSeeds);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'seed').map(([k, v]) => [k, withoutSeeds(v)]));
}

/** The model's architecture: every layer's class, config and inputs, seeds left out. */
export function modelFingerprint(model: tf.LayersModel): string {
  return digest(withoutSeeds(modelTopology(model)));
}
