/**
 * Checkpoints: one file, `checkpoint.bin` in the run folder, written atomically (temp name,
 * fsync, rename), holding every model weight (trainable and not), the optimizer's slots and
 * iteration count, the schedule's and stop rule's state, the loop position, the restore-best
 * snapshot, the seed, and fingerprints of the spec and data. A run killed at any moment
 * resumes from the last checkpoint and ends with the weights an uninterrupted run would have.
 */
import * as tf from '@tensorflow/tfjs';
import type { JsonValue } from './contracts.js';
import { DamagedFileError, readTensorFile, writeTensorFile, type StoredArray } from './tensor-file.js';
import type { LoopPosition, TrainLoopContext } from './train.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';

export interface CheckpointHeader {
  version: 1;
  specHash: string;
  dataHash: string;
  /** Digests of the spec's parts (src/lower), as the PyTorch target writes them too. */
  fingerprint: Record<string, string>;
  /** Digests of what the run's objects are (run-description.ts); absent in checkpoints of the PyTorch target. */
  programFingerprint?: Record<string, string>;
  seed: number;
  position: LoopPosition;
  optimizerIterations: number;
  schedule: JsonValue;
  stop: JsonValue;
  /** The stop rule's name: its state is restored only into the same rule (the stop rule may change on resume). */
  stopRule?: string;
  /** Size of metrics.jsonl when the checkpoint was written; a resumed run truncates it to this. */
  metricsBytes: number;
  bestEpoch: number | null;
  /** Wall time spent training before this checkpoint, in seconds. */
  elapsedSeconds: number;
}

async function tensorToStored(name: string, t: tf.Tensor): Promise<StoredArray> {
  const dtype = t.dtype === 'int32' ? 'int32' : 'float32';
  const data = await t.data();
  return {
    name,
    dtype,
    shape: t.shape.slice(),
    data: dtype === 'int32' ? Int32Array.from(data as Int32Array) : Float32Array.from(data as Float32Array),
  };
}

export async function writeCheckpoint(
  file: string,
  ctx: TrainLoopContext,
  dataHash: string,
  metricsBytes: number,
  elapsedSeconds: number,
): Promise<void> {
  const { plan, built } = ctx;
  const arrays: StoredArray[] = [];
  for (const [i, w] of built.model.weights.entries()) arrays.push(await tensorToStored(`weight/${i}/${w.name}`, w.read()));
  const optimizerState = plan.optimizer.getState();
  try {
    for (const [i, t] of optimizerState.slots.entries()) arrays.push(await tensorToStored(`optimizer/${i}`, t));
  } finally {
    // getState returns copies that the caller owns.
    tf.dispose(optimizerState.slots);
  }
  for (const [i, t] of (ctx.best?.weights ?? []).entries()) arrays.push(await tensorToStored(`best/${i}`, t));
  const header: CheckpointHeader = {
    version: 1,
    specHash: plan.specHash,
    dataHash,
    fingerprint: plan.fingerprint,
    programFingerprint: ctx.programFingerprint,
    seed: ctx.seed,
    position: ctx.position,
    optimizerIterations: optimizerState.iterations,
    schedule: plan.schedule.getState?.() ?? null,
    stop: plan.stop.getState(),
    stopRule: plan.stop.name,
    metricsBytes,
    bestEpoch: ctx.best?.epoch ?? null,
    elapsedSeconds,
  };
  writeTensorFile(file, header, arrays);
}

/** Reads and verifies checkpoint.bin (checksum, structure): a DamagedFileError or FileReadError on any problem. */
export function readCheckpoint(file: string): { header: CheckpointHeader; arrays: StoredArray[] } {
  const { header, arrays } = readTensorFile<CheckpointHeader>(file);
  const h = header as Partial<CheckpointHeader>;
  const missing = (['specHash', 'dataHash', 'fingerprint', 'seed', 'position', 'optimizerIterations', 'metricsBytes', 'elapsedSeconds'] as const).filter(
    (key) => h[key] === undefined || h[key] === null,
  );
  if (missing.length > 0) throw new DamagedFileError(CHECKPOINT_FILE, `its header lacks ${missing.join(', ')}`);
  if (typeof h.fingerprint !== 'object' || !Number.isSafeInteger(h.metricsBytes) || h.metricsBytes! < 0 || !Number.isSafeInteger(h.optimizerIterations)) {
    throw new DamagedFileError(CHECKPOINT_FILE, 'its header holds values of the wrong kind');
  }
  return { header, arrays };
}

const shapeText = (shape: readonly (number | null)[]): string => `[${shape.join(', ')}]`;

/**
 * Throws a DamagedFileError unless the checkpoint's arrays fit the model: as many weights as the
 * model, each of its shape and dtype; optimizer slots in whole sets per trainable weight, each of
 * that weight's shape; a best snapshot like the weights.
 */
export function checkCheckpointFits(ctx: TrainLoopContext, checkpoint: { header: CheckpointHeader; arrays: StoredArray[] }): void {
  const damaged = (detail: string) => new DamagedFileError(CHECKPOINT_FILE, `${detail}, which does not fit this spec's model`);
  const { arrays } = checkpoint;
  const modelWeights = ctx.built.model.weights;
  const known = arrays.filter((a) => /^(weight|optimizer|best)\//.test(a.name));
  if (known.length !== arrays.length) throw damaged('it holds arrays of unknown kinds');
  const weights = arrays.filter((a) => a.name.startsWith('weight/'));
  if (weights.length !== modelWeights.length) throw damaged(`it holds ${weights.length} weights but the model has ${modelWeights.length}`);
  const fits = (a: StoredArray, w: { shape: readonly (number | null)[]; dtype: string }, label: string) => {
    if (shapeText(a.shape) !== shapeText(w.shape)) throw damaged(`${label} has shape ${shapeText(a.shape)} where the model's has ${shapeText(w.shape)}`);
    if (a.dtype !== (w.dtype === 'int32' ? 'int32' : 'float32')) throw damaged(`${label} is ${a.dtype} where the model's is ${w.dtype}`);
  };
  weights.forEach((a, i) => fits(a, modelWeights[i]!, `weight ${i}`));
  const best = arrays.filter((a) => a.name.startsWith('best/'));
  if (best.length > 0) {
    if (best.length !== modelWeights.length) throw damaged(`its best snapshot holds ${best.length} weights but the model has ${modelWeights.length}`);
    best.forEach((a, i) => fits(a, modelWeights[i]!, `best weight ${i}`));
  }
  const slots = arrays.filter((a) => a.name.startsWith('optimizer/'));
  const trainable = ctx.built.model.trainableWeights;
  if (slots.length > 0) {
    if (trainable.length === 0 || slots.length % trainable.length !== 0) throw damaged(`it holds ${slots.length} optimizer slots for ${trainable.length} trainable weights`);
    const perWeight = slots.length / trainable.length;
    slots.forEach((a, i) => {
      const w = trainable[Math.floor(i / perWeight)]!;
      if (shapeText(a.shape) !== shapeText(w.shape)) throw damaged(`optimizer slot ${i} has shape ${shapeText(a.shape)} where its weight's has ${shapeText(w.shape)}`);
    });
  }
}

/**
 * The parts that differ between a checkpoint and this run, by name (empty when resumable): the
 * spec's parts, and what the run's objects are when the checkpoint recorded them too (a compiled
 * program edited since the checkpoint has the same spec digests but other objects).
 */
export function changedSinceCheckpoint(
  header: CheckpointHeader,
  fingerprint: Record<string, string>,
  programFingerprint: Record<string, string>,
  seed: number,
): string[] {
  const changed = new Set<string>();
  const compare = (saved: Record<string, string>, now: Record<string, string>) => {
    for (const key of new Set([...Object.keys(saved), ...Object.keys(now)])) if (saved[key] !== now[key]) changed.add(key);
  };
  compare(header.fingerprint, fingerprint);
  if (header.programFingerprint && typeof header.programFingerprint === 'object') compare(header.programFingerprint, programFingerprint);
  const names = [...changed].sort();
  if (header.seed !== seed) names.push('seed');
  return names;
}

const toTensor = (a: StoredArray): tf.Tensor => tf.tensor(a.data, a.shape, a.dtype);

/** Restores weights, optimizer, schedule, stop rule and the best snapshot into ctx; returns metricsBytes. */
export function restoreCheckpoint(
  ctx: TrainLoopContext,
  checkpoint: { header: CheckpointHeader; arrays: StoredArray[] },
): void {
  checkCheckpointFits(ctx, checkpoint);
  const { header, arrays } = checkpoint;
  const weights = arrays.filter((a) => a.name.startsWith('weight/'));
  const modelWeights = ctx.built.model.weights;
  modelWeights.forEach((w, i) => {
    const t = toTensor(weights[i]!);
    w.write(t);
    t.dispose();
  });
  const slots = arrays.filter((a) => a.name.startsWith('optimizer/')).map(toTensor);
  ctx.plan.optimizer.setState({ iterations: header.optimizerIterations, slots });
  tf.dispose(slots);
  if (header.schedule !== null) ctx.plan.schedule.setState?.(header.schedule);
  // A different stop rule starts afresh: another rule's state would be read as garbage.
  if (header.stopRule === undefined || header.stopRule === ctx.plan.stop.name) ctx.plan.stop.setState(header.stop);
  const best = arrays.filter((a) => a.name.startsWith('best/'));
  if (header.bestEpoch !== null && best.length > 0) {
    ctx.best = { epoch: header.bestEpoch, weights: best.map(toTensor) };
  }
  ctx.position = structuredClone(header.position);
}
