/**
 * A plan description: the IR lowered to calls of runtime factories with JSON arguments.
 * It is the single dispatch from spec to runtime, shared by both back ends:
 *   - src/interpret evaluates each call against the runtime (mlspec run);
 *   - src/emit prints each call as TypeScript and copies the called declarations (mlspec compile).
 */
import type { JsonValue, ModelGraph } from '../runtime/contracts.js';
import type { PrepareDataConfig } from '../runtime/data/prepare.js';

/** A call of an exported runtime factory, e.g. { $call: 'createAdam', args: [{ beta1: 0.9, ... }] }. */
export interface PlanCall {
  $call: string;
  args: PlanArg[];
}

/** A reference to an exported runtime value, e.g. { $ref: 'denseLayerFactory' }. */
export interface PlanRef {
  $ref: string;
}

export type PlanArg = JsonValue | PlanCall | PlanRef | { [key: string]: PlanArg };

export interface PlanDescription {
  name: string;
  specHash: string;
  specSource: string;
  graph: ModelGraph;
  /** Layer factories by kind, for the kinds the model uses. */
  layers: { [kind: string]: PlanRef };
  /** The data source factory call. */
  source: PlanCall;
  data: PrepareDataConfig;
  loss: PlanCall;
  optimizer: PlanCall;
  learningRate: number;
  clip: PlanCall | null;
  schedule: PlanCall;
  metrics: PlanCall[];
  stop: PlanCall;
  epochs: number;
  batch: number | 'full';
  shuffle: boolean;
  seed: number;
  checkpointEvery: number;
  checkpointSeconds: number;
  fingerprint: Record<string, string>;
}

export const isPlanCall = (value: unknown): value is PlanCall =>
  typeof value === 'object' && value !== null && typeof (value as PlanCall).$call === 'string';

export const isPlanRef = (value: unknown): value is PlanRef =>
  typeof value === 'object' && value !== null && typeof (value as PlanRef).$ref === 'string';

export const ref = (name: string): PlanRef => ({ $ref: name });

export const call = (name: string, ...args: PlanArg[]): PlanCall => ({ $call: name, args });
