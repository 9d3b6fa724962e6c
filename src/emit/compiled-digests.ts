/**
 * The digests a compiled program carries of its own parts as compiled: the unedited plan is built
 * with the runtime (src/interpret, as `mlspec run` builds it) and digested with the function a run
 * uses on the running program (run-description.ts programDigests), so a run of the program tells
 * exactly which parts were edited since. Builds a model briefly; writes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluatePlan } from '../interpret/evaluate.js';
import type { PlanDescription } from '../lower/plan-description.js';
import { programDigests } from '../runtime/run-description.js';

/** `plan` as the program holds it (its data paths included). */
export function compiledDigests(plan: PlanDescription, specPath: string): Record<string, string> {
  // Production mode: no "install tfjs-node" banner when the cpu backend starts.
  tf.enableProdMode();
  const trainingPlan = evaluatePlan(plan, specPath);
  const built = trainingPlan.buildModel(plan.seed);
  try {
    return programDigests(trainingPlan, built);
  } finally {
    built.model.dispose();
    trainingPlan.optimizer.dispose();
  }
}
