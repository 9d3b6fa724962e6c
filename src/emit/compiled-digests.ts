/**
 * The digests a compiled program carries of its own parts as compiled: the unedited plan is built
 * with the runtime (src/interpret, as `mlspec run` builds it) and digested with the function a run
 * uses on the running program (run-description.ts programDigests), so a run of the program tells
 * exactly which parts were edited since. Builds the model briefly (its weights are allocated and
 * freed); writes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluatePlan } from '../interpret/evaluate.js';
import type { SpecIR } from '../ir/types.js';
import { inferShapes, totalParams } from '../ir/shapes.js';
import type { PlanDescription } from '../lower/plan-description.js';
import { programDigests } from '../runtime/run-description.js';

/**
 * A larger model is not built at compile time (its weights alone would take 100 MB and seconds to
 * initialise): its program carries no model digest, and its runs do not list model edits (their
 * summary.json "program" still describes the model that trained).
 */
export const DIGEST_MAX_PARAMS = 25_000_000;

/**
 * Builds on a backend that is ready now: one a run in this process started, else the cpu backend,
 * which starts synchronously (tfjs would otherwise pick the registered wasm backend, whose start is
 * asynchronous, and refuse to make a tensor before it has started).
 */
function useReadyBackend(): void {
  const engine = tf.engine() as unknown as { backendInstance: unknown; pendingBackendInit: unknown };
  if (engine.backendInstance != null && engine.pendingBackendInit == null) return;
  void tf.setBackend('cpu');
}

/** `plan` as the program holds it (its data paths included). */
export function compiledDigests(ir: SpecIR, plan: PlanDescription, specPath: string): Record<string, string> {
  // Production mode: no "install tfjs-node" banner when the cpu backend starts.
  tf.enableProdMode();
  useReadyBackend();
  const trainingPlan = evaluatePlan(plan, specPath);
  const built = totalParams(inferShapes(ir.model, specPath)) <= DIGEST_MAX_PARAMS ? trainingPlan.buildModel(plan.seed) : null;
  try {
    return programDigests(trainingPlan, built);
  } finally {
    built?.model.dispose();
    trainingPlan.optimizer.dispose();
  }
}
