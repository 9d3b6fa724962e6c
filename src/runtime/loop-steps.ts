/**
 * The training loop as visible steps. A compiled program's train.ts writes its loop out with
 * these calls (and may change it); `mlspec run` runs runTrainingLoop below, which is that same
 * loop, so both execute the same code step by step:
 *
 *   while (run.nextEpoch()) {
 *     for await (const batch of run.batches()) {
 *       const lr = schedule.learningRate(learningRate, run.at());
 *       const { loss, gradients } = await run.lossAndGradients(batch, lossFn);
 *       const clipped = clip ? clip.clip(gradients) : gradients;
 *       optimizer.apply(run.variables, clipped, lr);
 *       run.release(gradients, clipped);
 *       run.logStep(loss, lr);
 *     }
 *     await run.endEpoch();
 *   }
 *
 * The bookkeeping that makes a run resumable at any step boundary (the loop position, Ctrl-C,
 * time-based and per-epoch checkpoints, divergence checks, the stop rule's best snapshot) lives
 * in these steps, not in the loop.
 */
import * as tf from '@tensorflow/tfjs';
import type { Loss, ScheduleContext, Split } from './contracts.js';
import { setDropoutStep } from './layers/dropout.js';
import {
  batchOf,
  batchSizeOf,
  CHECKPOINT_SPACING,
  endOfEpochMetrics,
  snapshotBest,
  stepsPerEpoch,
  trainableVariables,
  trainEpochOrder,
  TrainingDivergedError,
  type LoopPosition,
  type TrainLoopContext,
} from './train.js';
import { unhealthyWeights } from './weight-health.js';
import type { TrainBatch, TrainBatchSource } from './batch-source.js';

/**
 * One batch of an epoch: the samples at positions [start, start + size) of its visiting order,
 * gathered from the prepared training split; or, from a batch source that streams its data, the
 * batch's own tensors (which that source disposes).
 */
export interface TrainingBatch {
  readonly index: number;
  readonly start: number;
  readonly size: number;
  readonly tensors?: Split;
}

/** Lets pending events (a SIGINT handler) run; a loop that never yields would never see Ctrl-C. */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TrainingRun {
  /** The model's trainable variables, in the model's weight order: what the optimizer updates. */
  readonly variables: tf.Variable[];
  private readonly samples: number;
  private readonly batchSize: number;
  private readonly steps: number;
  private order: number[] | null = null;
  /** Streamed data (ctx.batches): its batches are read from the source, not gathered from data.train. */
  private readonly source: TrainBatchSource | null;
  private streamed: AsyncIterator<TrainBatch> | null = null;
  private epochStarted = 0;
  private lr = 0;
  private current: TrainingBatch | null = null;
  private paused = false;
  private lastCheckpoint = performance.now();
  private lastCost = 0;

  constructor(private readonly ctx: TrainLoopContext) {
    this.variables = trainableVariables(ctx.built);
    this.source = ctx.batches ?? null;
    this.samples = this.source?.rows ?? ctx.data.train.x.shape[0]!;
    this.batchSize = batchSizeOf(ctx.plan, this.samples);
    this.steps = stepsPerEpoch(ctx.plan, this.samples);
  }

  /** The loop position (epoch, batch, step, history), restored on --resume. */
  get position(): Readonly<LoopPosition> {
    return this.ctx.position;
  }

  /** What a schedule is asked at: optimizer steps and finished epochs so far. */
  at(): ScheduleContext {
    return { step: this.ctx.position.step, epoch: this.ctx.position.epoch };
  }

  /** Starts the next epoch, or returns false when the run is done, stopped or paused. */
  nextEpoch(): boolean {
    const { plan, seed, position: pos, observer } = this.ctx;
    if (this.paused || pos.stopped || pos.epoch >= this.ctx.epochs) return false;
    this.epochStarted = Date.now();
    if (this.source) this.streamed = this.source.epoch(pos.epoch, this.batchSize, pos.batch);
    else this.order = trainEpochOrder(plan, seed, pos.epoch, this.samples);
    this.lr = plan.schedule.learningRate(plan.learningRate, this.at());
    observer.epochStart?.(pos.epoch, this.steps);
    return true;
  }

  /** The epoch's remaining batches; checkpoints when one is due, and ends early (checkpointed) on Ctrl-C. */
  async *batches(): AsyncGenerator<TrainingBatch> {
    const pos = this.ctx.position;
    const { observer } = this.ctx;
    const streamed = this.streamed;
    while (pos.batch < this.steps) {
      await yieldToEvents();
      if (observer.shouldPause?.()) {
        await streamed?.return?.();
        await observer.checkpoint?.(pos);
        this.paused = true;
        return;
      }
      if (pos.batch > 0 && this.secondsDue()) await this.checkpointNow();
      const start = pos.batch * this.batchSize;
      let read: TrainBatch | null = null;
      if (streamed) {
        const next = await streamed.next();
        if (next.done) throw new Error(`The training data ended after ${pos.batch} of ${this.steps} batches of epoch ${pos.epoch + 1}.`);
        read = next.value;
      }
      this.current = read
        ? { index: pos.batch, start, size: read.x.shape[0]!, tensors: read }
        : { index: pos.batch, start, size: Math.min(this.batchSize, this.samples - start) };
      try {
        yield this.current;
      } finally {
        read?.release();
      }
      pos.step += 1;
      pos.batch += 1;
    }
    // Reading past the last batch lets a streamed source check that the epoch had every row.
    await streamed?.next();
  }

  /**
   * The batch loss (plus the weight penalty) and its gradients with respect to `variables`, in
   * training mode. The loss is read back with the asynchronous `data()` (the only read a GPU
   * backend offers in Node); a NaN or infinite loss stops the run before any update.
   */
  async lossAndGradients(batch: TrainingBatch, loss: Loss): Promise<{ loss: number; gradients: tf.Tensor[] }> {
    const { built, data, position } = this.ctx;
    const variables = this.variables;
    setDropoutStep(position.step);
    const { value, grads } = tf.tidy(() => {
      const { x, y } = batch.tensors ?? batchOf(data.train, this.order, batch.start, batch.size);
      const batchLoss = () => {
        const pred = built.model.apply(x, { training: true }) as tf.Tensor;
        const l = loss.compute(y, pred);
        const p = built.penalty();
        return (p ? l.add(p) : l) as tf.Scalar;
      };
      // A model without weights (input -> activation, say) has nothing to update, and tfjs refuses
      // gradients with respect to no variables; its loss is still logged.
      return variables.length === 0 ? { value: batchLoss(), grads: {} as tf.NamedTensorMap } : tf.variableGrads(batchLoss, variables);
    });
    const lossValue = (await value.data())[0]!;
    value.dispose();
    const gradients = variables.map((v) => grads[v.name]!);
    if (!Number.isFinite(lossValue)) {
      tf.dispose(gradients);
      throw new TrainingDivergedError(position.epoch, position.step, position.lastLoss, lossValue);
    }
    return { loss: lossValue, gradients };
  }

  /** Frees a step's gradients (and the clipped copies, when clipping made new ones). */
  release(gradients: readonly tf.Tensor[], clipped: readonly tf.Tensor[]): void {
    if (clipped !== gradients) tf.dispose([...clipped]);
    tf.dispose([...gradients]);
  }

  /** Records the step's loss and learning rate (metrics.jsonl, progress bar, the epoch's mean loss). */
  logStep(loss: number, lr: number): void {
    const pos = this.ctx.position;
    const size = this.current?.size ?? 0;
    this.lr = lr;
    pos.lastLoss = loss;
    pos.epochLossSum += loss * size;
    pos.epochSamples += size;
    this.ctx.observer.step?.({ epoch: pos.epoch, batch: pos.batch, steps: this.steps, step: pos.step, size, loss, lr });
  }

  /**
   * Ends the epoch: checks the weights are finite, computes the epoch's metrics, lets the schedule
   * and the stop rule see them, logs them, and checkpoints when one is due. Nothing after Ctrl-C.
   */
  async endEpoch(): Promise<void> {
    if (this.paused) return;
    const ctx = this.ctx;
    const { plan, position: pos, observer } = ctx;
    // The loss can stay finite (clipped) while the weights diverge (weight-health.ts).
    const unhealthy = await unhealthyWeights(this.variables, pos.epoch, pos.lastLoss);
    if (unhealthy !== null) throw new TrainingDivergedError(pos.epoch, pos.step, pos.lastLoss, NaN, unhealthy);
    const metrics = await endOfEpochMetrics(ctx, this.lr);
    pos.history.push(metrics);
    plan.schedule.endEpoch?.(pos.epoch, metrics);
    const decision = plan.stop.endEpoch(pos.epoch, metrics);
    if (plan.stop.restoreEpoch() === pos.epoch) snapshotBest(ctx, pos.epoch);
    observer.epochEnd?.(pos.epoch, metrics, (Date.now() - this.epochStarted) / 1000);
    pos.epoch += 1;
    pos.batch = 0;
    pos.epochLossSum = 0;
    pos.epochSamples = 0;
    if (decision === 'stop') pos.stopped = true;
    const last = pos.stopped || pos.epoch >= ctx.epochs;
    // The last epoch's checkpoint is the run's final one (program.ts).
    if (!last && (this.epochDue(pos.epoch) || this.secondsDue())) await this.checkpointNow();
  }

  // Time-based checkpoints within an epoch bound the work a kill can lose in long epochs; they are
  // taken at step boundaries, where the loop position is all there is to resume. Epochs shorter
  // than a checkpoint's write (fsyncs) would spend most of their time saving: an epoch's checkpoint
  // waits until CHECKPOINT_SPACING times the last write's duration has passed.
  private since(): number {
    return performance.now() - this.lastCheckpoint;
  }

  private secondsDue(): boolean {
    return this.ctx.plan.checkpointSeconds > 0 && this.since() >= this.ctx.plan.checkpointSeconds * 1000;
  }

  private epochDue(finished: number): boolean {
    const every = this.ctx.plan.checkpointEvery;
    return every > 0 && finished % every === 0 && this.since() >= CHECKPOINT_SPACING * this.lastCost;
  }

  private async checkpointNow(): Promise<void> {
    const t0 = performance.now();
    await this.ctx.observer.checkpoint?.(this.ctx.position);
    this.lastCheckpoint = performance.now();
    this.lastCost = this.lastCheckpoint - t0;
  }
}

/** What a program's training loop is: it drives a TrainingRun until nextEpoch() says done. */
export type TrainingLoop = (run: TrainingRun) => Promise<void>;

/** `mlspec run`'s loop: the loop a compiled program prints, over the plan's own parts. */
export function planTrainingLoop(ctx: TrainLoopContext): TrainingLoop {
  const { plan } = ctx;
  return async (run) => {
    while (run.nextEpoch()) {
      for await (const batch of run.batches()) {
        const lr = plan.schedule.learningRate(plan.learningRate, run.at());
        const { loss, gradients } = await run.lossAndGradients(batch, plan.loss);
        const clipped = plan.clip ? plan.clip.clip(gradients) : gradients;
        plan.optimizer.apply(run.variables, clipped, lr);
        run.release(gradients, clipped);
        run.logStep(loss, lr);
      }
      await run.endEpoch();
    }
  };
}

/** Runs epochs until done, stopped by the stop rule, or paused. Mutates ctx.position and ctx.best. */
export async function runTrainingLoop(ctx: TrainLoopContext, loop: TrainingLoop = planTrainingLoop(ctx)): Promise<void> {
  await loop(new TrainingRun(ctx));
}
