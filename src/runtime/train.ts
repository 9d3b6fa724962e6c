/**
 * What the training loop (loop-steps.ts) is made of: mlspec's own GradientTape loop (forward,
 * loss, gradients, clip, apply), not model.fit, so that every optimizer, clipping rule and
 * schedule behaves exactly as docs/semantics.md writes it. One step:
 *
 *   lr      = schedule(base lr, step, epoch)
 *   loss, g = value and gradients of  loss(y, model(x, training)) + penalty(weights)
 *   g       = clip(g)
 *   weights = optimizer(weights, g, lr)
 *
 * The loop is resumable at any step boundary: the shuffle order of an epoch and every dropout
 * mask are derived from (seed, epoch) and (seed, step), so a run restored from a checkpoint
 * draws exactly what the uninterrupted run drew.
 */
import * as tf from '@tensorflow/tfjs';
import type { JsonValue, Metric, Loss, PreparedData, Split } from './contracts.js';
import type { BuiltModel } from './model.js';
import type { TrainingPlan } from './plan.js';
import { createRng, deriveSeed, permutation } from './rng.js';
import type { TrainBatchSource } from './batch-source.js';

/** Metrics of one epoch, e.g. { loss, accuracy, val_loss, val_accuracy }. */
export type EpochMetrics = Record<string, number>;

/** Everything needed to continue a run exactly where it stopped. */
export interface LoopPosition {
  /** 0-based epoch in progress (or next to start when batch is 0). */
  epoch: number;
  /** Index of the next batch within the epoch. */
  batch: number;
  /** Optimizer steps taken so far. */
  step: number;
  /** Sum of (batch loss * batch size) and samples so far in this epoch, for the epoch's mean loss. */
  epochLossSum: number;
  epochSamples: number;
  /** Metrics of every finished epoch. */
  history: EpochMetrics[];
  /** Last finite step loss. */
  lastLoss: number | null;
  stopped: boolean;
}

export interface TrainingObserver {
  epochStart?(epoch: number, steps: number): void;
  step?(info: { epoch: number; batch: number; steps: number; step: number; size: number; loss: number; lr: number }): void;
  epochEnd?(epoch: number, metrics: EpochMetrics, seconds: number): void;
  /** Called at a step boundary; return true to stop (e.g. after Ctrl-C) and save a checkpoint. */
  shouldPause?(): boolean;
  /**
   * Called when a periodic checkpoint is due (at the end of every `checkpointEvery` epochs, and
   * within an epoch at the first step boundary `checkpointSeconds` after the last checkpoint), and
   * when pausing. The loop waits for it.
   */
  checkpoint?(position: LoopPosition): void | Promise<void>;
}

/** The loss became NaN or infinite. The weights are those of the last finite step's start. */
export class TrainingDivergedError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly lastFiniteLoss: number | null,
    readonly value: number,
    /** What diverged, when it is not the loss (weight-health.ts); the advice is appended. */
    what?: string,
  ) {
    super(
      what !== undefined
        ? `${what}; lower the learning rate, add gradient clipping (e.g. \`clip: global_norm(1.0)\`), or normalize the data.`
        : `The loss became ${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'} at epoch ${epoch + 1}, step ${step + 1}` +
        (lastFiniteLoss === null ? '' : ` (last finite loss ${lastFiniteLoss})`) +
        '; lower the learning rate, add gradient clipping (e.g. `clip: global_norm(1.0)`), or normalize the data.',
    );
    this.name = 'TrainingDivergedError';
  }
}

export function newLoopPosition(): LoopPosition {
  return { epoch: 0, batch: 0, step: 0, epochLossSum: 0, epochSamples: 0, history: [], lastLoss: null, stopped: false };
}

export function batchSizeOf(plan: TrainingPlan, trainSamples: number): number {
  return plan.batch === 'full' ? trainSamples : Math.min(plan.batch, trainSamples);
}

export function stepsPerEpoch(plan: TrainingPlan, trainSamples: number): number {
  return trainSamples === 0 ? 0 : Math.ceil(trainSamples / batchSizeOf(plan, trainSamples));
}

/** The model's trainable variables, in a stable order (the model's weight order). */
export function trainableVariables(built: BuiltModel): tf.Variable[] {
  return built.model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** The order in which an epoch visits the training samples. */
export function trainEpochOrder(plan: TrainingPlan, seed: number, epoch: number, n: number): number[] | null {
  if (!plan.shuffle || plan.batch === 'full') return null;
  return permutation(n, createRng(deriveSeed(seed, 'shuffle', epoch)));
}

/** Predictions of the model on a split in inference mode, in batches. */
export function predictSplit(built: BuiltModel, x: tf.Tensor, batchSize = 512): tf.Tensor {
  return tf.tidy(() => {
    const n = x.shape[0]!;
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      const xb = x.slice(start, size);
      parts.push(built.model.apply(xb, { training: false }) as tf.Tensor);
    }
    return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
  });
}

/** Loss (including the weight penalty, as Keras reports it) and metrics of a split. */
export async function evaluateSplit(
  built: BuiltModel,
  split: Split,
  loss: Loss,
  metrics: readonly Metric[],
  prefix = '',
): Promise<EpochMetrics> {
  const out: EpochMetrics = {};
  const pred = predictSplit(built, split.x);
  try {
    const total = tf.tidy(() => {
      const l = loss.compute(split.y, pred);
      const p = built.penalty();
      return p ? l.add(p) : l;
    });
    out[`${prefix}loss`] = (await total.data())[0]!;
    total.dispose();
    for (const metric of metrics) out[`${prefix}${metric.name}`] = await metric.compute(split.y, pred);
  } finally {
    pred.dispose();
  }
  return out;
}

export interface TrainLoopContext {
  plan: TrainingPlan;
  data: PreparedData;
  built: BuiltModel;
  seed: number;
  epochs: number;
  position: LoopPosition;
  /** Digests of what the run trains, read from its objects (run-description.ts), kept in checkpoints. */
  programFingerprint: Record<string, string>;
  observer: TrainingObserver;
  /** Snapshot of the weights at the stop rule's best epoch, for restore-best. */
  best: { epoch: number; weights: tf.Tensor[] } | null;
  /** Where each epoch's batches come from; absent: data.train, in memory (batch-source.ts). */
  batches?: TrainBatchSource;
}

/**
 * Periodic checkpoints are at least this many times their own writing time apart, so that they
 * take at most about 1/20 (5%) of the training loop's time however short the epochs are.
 */
export const CHECKPOINT_SPACING = 20;

/**
 * A batch: the rows of a shuffled epoch are gathered batch by batch (one row copy each), which
 * never holds a second, shuffled copy of the whole training set; in order, a batch is a slice.
 */
export function batchOf(split: Split, order: number[] | null, start: number, size: number): Split {
  if (order !== null) {
    const index = tf.tensor1d(order.slice(start, start + size), 'int32');
    return { x: tf.gather(split.x, index), y: tf.gather(split.y, index) };
  }
  const n = split.x.shape[0]!;
  if (start === 0 && size === n) return split;
  return { x: split.x.slice(start, size), y: split.y.slice(start, size) };
}

/**
 * Epoch metrics: `loss` is the mean of the step losses over the epoch's samples (as Keras
 * reports it); other training metrics are computed in inference mode over the training split
 * only when the spec asks for metrics; validation loss and metrics over the validation split;
 * `lr` is the learning rate of the epoch's last step.
 */
export async function endOfEpochMetrics(ctx: TrainLoopContext, lr: number): Promise<EpochMetrics> {
  const { plan, data, built, position } = ctx;
  const metrics: EpochMetrics = { loss: position.epochSamples > 0 ? position.epochLossSum / position.epochSamples : NaN };
  if (plan.metrics.length > 0) {
    const train = await evaluateSplit(built, data.train, plan.loss, plan.metrics);
    for (const m of plan.metrics) metrics[m.name] = train[m.name]!;
  }
  if (data.validation && data.validation.x.shape[0]! > 0) {
    Object.assign(metrics, await evaluateSplit(built, data.validation, plan.loss, plan.metrics, 'val_'));
  }
  // The learning rate of the epoch's last step (reduce-on-plateau acts after this is recorded).
  metrics.lr = lr;
  return metrics;
}

export function snapshotBest(ctx: TrainLoopContext, epoch: number): void {
  if (ctx.best) tf.dispose(ctx.best.weights);
  ctx.best = { epoch, weights: ctx.built.model.weights.map((w) => tf.clone(w.read())) };
}

/** Replaces the model's weights with the best snapshot (restore-best), if any. */
export function restoreBestWeights(ctx: TrainLoopContext): number | null {
  const restore = ctx.plan.stop.restoreEpoch();
  if (restore === null || !ctx.best || ctx.best.epoch !== restore) return null;
  ctx.built.model.weights.forEach((w, i) => w.write(ctx.best!.weights[i]!));
  return restore;
}

export type { JsonValue };
