/**
 * Memory a training run needs on its backend, estimated before the first step, so that a run
 * that cannot fit the wasm backend's 4 GiB (a 32-bit address space) is refused with the figure
 * and a way out, instead of ending in "memory access out of bounds" after training for a while.
 *
 * Bytes, all float32/int32 (4 bytes a value):
 *   data         every split's x and y tensors (they stay on the backend for the whole run)
 *   parameters   params x (weights + gradients + 2 x optimizer slots (old and new values during an
 *                update) + 1 transient copy + the restore-best snapshot when there is one)
 *   activations  the largest of: one training batch x (sum of every layer's output size) x 3
 *                (outputs kept for the backward pass, their gradients, one intermediate), and one
 *                evaluation batch (up to 512 rows, predictSplit) x the same sum
 * The estimate errs high (tfjs frees intermediates as it goes) but stays within a factor of about
 * two of what a run peaks at; runs estimated above WASM_MEMORY_BYTES are refused (exit 1).
 */
import type * as tf from '@tensorflow/tfjs';
import { formatBytes } from './atomic-write.js';

/** wasm32: the backend's heap can never exceed 4 GiB. */
export const WASM_MEMORY_BYTES = 4 * 1024 * 1024 * 1024;

/** Optimizer slots per weight value (hand-optimizer rules); unknown optimizers count as 2. */
const SLOTS_PER_WEIGHT: Record<string, number> = { gd: 0, sgd: 0, momentum: 1, adagrad: 1, rmsprop: 2, adam: 2, adamw: 2 };

export interface MemoryEstimate {
  data: number;
  parameters: number;
  activations: number;
  total: number;
}

function shapeSize(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((product, d) => product * (d ?? 1), 1);
}

/** Values one sample produces across every layer's outputs (batch axis left out). */
function activationsPerSample(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const shape = layer.outputShape as (number | null)[] | (number | null)[][];
    const shapes = Array.isArray(shape[0]) ? (shape as (number | null)[][]) : [shape as (number | null)[]];
    for (const s of shapes) total += shapeSize(s.slice(1));
  }
  return total;
}

export function estimateTrainingMemory(options: {
  model: tf.LayersModel;
  optimizer: string;
  batch: number;
  /** Rows of the largest split evaluated (for the 512-row evaluation batches). */
  evaluationRows: number;
  dataTensors: readonly tf.Tensor[];
  keepsBest: boolean;
}): MemoryEstimate {
  const data = options.dataTensors.reduce((sum, t) => sum + t.size * 4, 0);
  const slots = SLOTS_PER_WEIGHT[options.optimizer] ?? 2;
  const parameters = options.model.countParams() * 4 * (3 + 2 * slots + (options.keepsBest ? 1 : 0));
  const perSample = activationsPerSample(options.model) * 4;
  const activations = Math.max(options.batch * perSample * 3, Math.min(512, options.evaluationRows) * perSample);
  return { data, parameters, activations, total: data + parameters + activations };
}

const gib = (bytes: number): string => formatBytes(Math.round(bytes));

/** A sentence when the estimate does not fit the wasm backend, else null. */
export function wasmMemoryProblem(estimate: MemoryEstimate, batch: number): string | null {
  if (estimate.total <= WASM_MEMORY_BYTES) return null;
  const biggest = estimate.activations >= Math.max(estimate.parameters, estimate.data) ? 'activations' : estimate.parameters >= estimate.data ? 'parameters' : 'data';
  const advice =
    biggest === 'activations'
      ? `a smaller batch (now ${batch}), smaller layers, or --backend cpu or tensorflow, which are not limited to 4 GiB`
      : biggest === 'parameters'
        ? 'a smaller model, or --backend cpu or tensorflow, which are not limited to 4 GiB'
        : 'fewer samples, or --backend cpu or tensorflow, which are not limited to 4 GiB';
  return (
    `This run needs about ${gib(estimate.total)} of backend memory (data ${gib(estimate.data)}, parameters with gradients and optimizer state ${gib(estimate.parameters)}, ` +
    `activations of one batch ${gib(estimate.activations)}), more than the 4 GiB the wasm backend can address; use ${advice}.`
  );
}
