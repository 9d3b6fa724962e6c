/**
 * Evaluates a plan description against the runtime: each { $call, args } becomes a call of
 * the runtime factory of that name. The result is the TrainingPlan that runTraining takes.
 */
import * as path from 'node:path';
import { isPlanCall, isPlanRef, type PlanArg, type PlanCall, type PlanDescription } from '../lower/plan-description.js';
import type { GradientClipper, Loss, Metric, Optimizer, Schedule, StopRule } from '../runtime/contracts.js';
import type { GraphLayerFactory } from '../runtime/layers/graph-layers.js';
import { buildModelWith } from '../runtime/model.js';
import type { TrainingPlan } from '../runtime/plan.js';
import { RUNTIME_FACTORIES } from './registry.js';

function evaluateArg(arg: PlanArg): unknown {
  if (isPlanCall(arg)) return evaluateCall(arg);
  if (isPlanRef(arg)) return lookup(arg.$ref);
  if (Array.isArray(arg)) return arg.map(evaluateArg);
  if (arg !== null && typeof arg === 'object') {
    return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, evaluateArg(v as PlanArg)]));
  }
  return arg;
}

function lookup(name: string): (...args: unknown[]) => unknown {
  const factory = RUNTIME_FACTORIES.get(name);
  if (!factory) throw new Error(`The runtime has no factory named '${name}'.`);
  return factory as (...args: unknown[]) => unknown;
}

export function evaluateCall(c: PlanCall): unknown {
  return lookup(c.$call)(...c.args.map(evaluateArg));
}

/** Builds the TrainingPlan of a description; relative data paths resolve against the spec's folder. */
export function evaluatePlan(plan: PlanDescription, specFile: string): TrainingPlan {
  const layers = evaluateArg(plan.layers) as Readonly<Record<string, GraphLayerFactory>>;
  return {
    name: plan.name,
    specHash: plan.specHash,
    specSource: plan.specSource,
    graph: plan.graph,
    buildModel: (seed) => buildModelWith(plan.graph, seed, layers),
    source: evaluateCall(plan.source) as TrainingPlan['source'],
    data: plan.data,
    dataBaseDir: path.dirname(path.resolve(specFile)),
    loss: evaluateCall(plan.loss) as Loss,
    optimizer: evaluateCall(plan.optimizer) as Optimizer,
    learningRate: plan.learningRate,
    clip: plan.clip ? (evaluateCall(plan.clip) as GradientClipper) : null,
    schedule: evaluateCall(plan.schedule) as Schedule,
    metrics: plan.metrics.map((m) => evaluateCall(m) as Metric),
    stop: evaluateCall(plan.stop) as StopRule,
    epochs: plan.epochs,
    batch: plan.batch,
    shuffle: plan.shuffle,
    seed: plan.seed,
    checkpointEvery: plan.checkpointEvery,
    checkpointSeconds: plan.checkpointSeconds,
    fingerprint: plan.fingerprint,
  };
}
