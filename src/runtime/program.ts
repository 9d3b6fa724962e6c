/**
 * A whole run: backend, output folder, data, model, resume or init-from, the training loop,
 * checkpoints, Ctrl-C, and the files a run leaves behind. `mlspec run` and every compiled
 * program call runTraining with the same plan, so they do exactly the same thing.
 *
 * Files written into the run folder:
 *   metrics.jsonl        one line per step {type:"step", epoch, step, loss, lr} and per epoch {type:"epoch", epoch, ...metrics}
 *   summary.json         final train/validation/test metrics, backend, wall time, samples/s, hashes, seed
 *   model/model.json     the trained model in the tfjs layers format (+ model/weights.bin)
 *   preprocessing.json   label map, normalization statistics, feature names, missing-value fill, data config
 *   split.json           the rows of each split (data/split-file.ts)
 *   report.html          plots of the curves, results, confusion matrix, model and spec (report/write.ts); also written, marked, by interrupted and diverged runs
 *   checkpoint.bin       the latest checkpoint (see checkpoint.ts)
 *   spec.mlspec          the spec that was run (an edited compiled program's says so in a first comment line)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendName } from './backend.js';
import { CHECKPOINT_FILE, changedSinceCheckpoint, readCheckpoint, restoreCheckpoint, writeCheckpoint } from './checkpoint.js';
import { consoleObserver, formatResultsTable } from './console.js';
import type { PreparedData } from './contracts.js';
import { prepareDataset } from './data/prepare-dataset.js';
import { formatSplitFile, SPLIT_FILE, splitFileContents } from './data/split-file.js';
import { plural, RunError, RunInterrupted } from './errors.js';
import type { BuiltModel } from './model.js';
import { readSavedWeights, saveModel } from './model-io.js';
import type { TrainingPlan } from './plan.js';
import type { RunSummary } from './summary.js';

export type { RunSummary } from './summary.js';
import { writePartialRunReport, writeRunReport, REPORT_FILE } from './report/write.js';
import type { ReportRunStatus } from './report/html.js';
import { describeDisk, FileWriteError, removeStaleTemporaries, writeFileAtomic } from './atomic-write.js';
import { dataFitProblem } from './data-fit.js';
import { estimateTrainingMemory, wasmMemoryProblem } from './memory-estimate.js';
import { acquireRunLock, RUN_LOCK_FILE } from './run-lock.js';
import { terminalSafe } from './safe-text.js';
import { DamagedFileError, peekTensorFileHeader } from './tensor-file.js';
import { runTrainingLoop, type TrainingLoop } from './loop-steps.js';
import { describeRun, editedParts, runFingerprint, runSpecText } from './run-description.js';
import {
  batchSizeOf,
  evaluateSplit,
  newLoopPosition,
  restoreBestWeights,
  TrainingDivergedError,
  type EpochMetrics,
  type TrainLoopContext,
  type TrainingObserver,
} from './train.js';

export interface RunOptions {
  /** Run folder; default runs/<spec name>/<timestamp> under cwd. */
  out?: string;
  backend: BackendName;
  seed?: number;
  epochs?: number;
  /** Continue the run in this folder from its checkpoint. */
  resume?: string;
  /** Start from the weights of the model saved in this run folder. */
  initFrom?: string;
  /** Print nothing on stderr but errors (no progress, notes or warnings). */
  quiet: boolean;
  /** Print the summary as JSON on stdout instead of the results table. */
  json: boolean;
  /** Allow writing into a folder that already holds files. */
  force: boolean;
  cwd: string;
  /** Results (the table, or --json's summary): stdout by default. */
  write?: (text: string) => void;
  /** Progress, notes and warnings: stderr by default. */
  note?: (text: string) => void;
  /** Draw a progress bar (default: stderr is a terminal). */
  interactive?: boolean;
  /** Handle SIGINT by checkpointing and stopping (default true). */
  handleSignals?: boolean;
  /** Also told of every epoch start, step and epoch end (after the run's own bookkeeping); cannot pause the run. */
  observer?: Pick<TrainingObserver, 'epochStart' | 'step' | 'epochEnd'>;
}


export interface RunResult {
  summary: RunSummary;
  out: string;
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
}

/**
 * Creates the run folder, takes its lock (run-lock.ts: one writer at a time), refuses to overwrite
 * an earlier run, and deletes temporaries that killed writers left. Returns the lock's release.
 */
export function prepareRunFolder(dir: string, options: { force: boolean; resume: boolean }): () => void {
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new RunError(`The output path ${dir} is a file, not a folder; choose another with --out.`);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : 'unknown error';
    throw new RunError(`The output folder ${dir} cannot be written (${reason}); choose another with --out.`);
  }
  // Creating the lock (O_EXCL) also proves the folder is writable.
  const release = acquireRunLock(dir);
  try {
    const entries = fs.readdirSync(dir).filter((name) => name !== RUN_LOCK_FILE);
    if (!options.resume && !options.force && entries.length > 0) {
      // A usage problem (exit 2, docs/cli.md): the command line asks to overwrite without --force.
      throw new RunError(
        `The output folder ${dir} already holds files of an earlier run; choose another with --out, continue it with --resume, or pass --force to overwrite it.`,
        2,
      );
    }
    removeStaleTemporaries(dir);
    removeStaleTemporaries(path.join(dir, 'model'));
  } catch (error) {
    release();
    throw error;
  }
  return release;
}

/** "a", "a and b", "a, b and c". */
function listInWords(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A checkpoint that cannot be read is the user's problem to know about, not an internal error. */
function readCheckpointOrExplain(file: string): ReturnType<typeof readCheckpoint> {
  try {
    return readCheckpoint(file);
  } catch (error) {
    if (error instanceof RunError) throw error; // DamagedFileError, FileReadError: already one sentence
    const reason = error instanceof Error ? error.message : String(error);
    throw new RunError(`Cannot resume from ${file}: it is not a readable mlspec checkpoint (${reason}).`);
  }
}

/** What a run that could not write keeps, and how to go on, appended to the write error's sentence. */
function writeFailure(error: FileWriteError, out: string): RunError {
  const header = peekTensorFileHeader<{ position?: { step?: number; history?: unknown[] } }>(path.join(out, CHECKPOINT_FILE));
  const position = header?.position;
  const kept =
    position && typeof position.step === 'number' && Array.isArray(position.history)
      ? `the previous checkpoint (${position.history.length} epoch${position.history.length === 1 ? '' : 's'}, ${position.step} step${position.step === 1 ? '' : 's'}) and the other files are kept unchanged; free some space and continue with --resume ${out}`
      : `the files already in ${out} are kept unchanged, but there is no checkpoint yet; free some space and start the run again with --force`;
  return new RunError(`${error.message}; ${kept}.`, 1);
}

/** A failed file operation of the machine (not a bug): the same sentence as a failed write. */
function asWriteFailure(error: unknown, out: string): unknown {
  if (error instanceof FileWriteError) return writeFailure(error, out);
  const errno = error as NodeJS.ErrnoException | null;
  if (errno instanceof Error && typeof errno.code === 'string' && typeof errno.syscall === 'string' && !(error instanceof RunError)) {
    const file = typeof errno.path === 'string' ? errno.path : out;
    return writeFailure(new FileWriteError(file, errno.code, describeDisk(path.dirname(file))), out);
  }
  return error;
}

function copyWeightsFrom(source: { name: string; tensor: tf.Tensor }[], target: BuiltModel, from: string): void {
  const dst = target.model.weights;
  const shape = (s: readonly (number | null)[]) => `[${s.join(', ')}]`;
  const mismatch = source.length !== dst.length || source.some((w, i) => shape(w.tensor.shape) !== shape(dst[i]!.shape));
  if (mismatch) {
    throw new RunError(
      `The model saved in ${from} does not fit this spec's model (it has ${source.length} weights of shapes ${source.map((w) => shape(w.tensor.shape)).join(' ')}; this model has ${dst.length} of shapes ${dst.map((w) => shape(w.shape)).join(' ')}); --init-from needs the same architecture.`,
    );
  }
  dst.forEach((w, i) => w.write(source[i]!.tensor));
}

async function finalResults(ctx: TrainLoopContext, data: PreparedData): Promise<Pick<RunSummary, 'train' | 'validation' | 'test'>> {
  const { built, plan } = ctx;
  const has = (s: { x: tf.Tensor } | null): s is { x: tf.Tensor; y: tf.Tensor } => s !== null && s.x.shape[0]! > 0;
  return {
    train: await evaluateSplit(built, data.train, plan.loss, plan.metrics),
    validation: has(data.validation) ? await evaluateSplit(built, data.validation, plan.loss, plan.metrics) : null,
    test: has(data.test) ? await evaluateSplit(built, data.test, plan.loss, plan.metrics) : null,
  };
}

/**
 * Trains a plan in its run folder. `loop` is the training loop (loop-steps.ts): `mlspec run`
 * uses the plan's own, a compiled program passes the loop written out in its train.ts.
 */
export async function runTraining(plan: TrainingPlan, options: RunOptions, loop?: TrainingLoop): Promise<RunResult> {
  const out = path.resolve(
    options.cwd,
    options.resume ?? options.out ?? path.join('runs', plan.name, timestamp(new Date())),
  );
  const lock = { release: () => {} };
  try {
    return await trainInRunFolder(plan, options, out, lock, loop);
  } catch (error) {
    throw asWriteFailure(error, out);
  } finally {
    lock.release();
  }
}

async function trainInRunFolder(plan: TrainingPlan, options: RunOptions, out: string, lock: { release: () => void }, loop: TrainingLoop | undefined): Promise<RunResult> {
  // Results on stdout; progress, notes and warnings on stderr (docs/cli.md).
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const note = options.note ?? ((text: string) => process.stderr.write(text));
  // Progress lines name files and the spec, which may hold control characters (safe-text.ts).
  const say = (text: string) => {
    if (!options.quiet) note(`${terminalSafe(text)}\n`);
  };
  const seed = options.seed ?? plan.seed;
  const epochs = options.epochs ?? plan.epochs;

  // Everything that can be refused is refused before anything is trained.
  const noCheckpoint = () => new RunError(`There is no checkpoint to resume in ${out} (expected ${CHECKPOINT_FILE}); start the run again with --force.`);
  if (options.resume && !fs.existsSync(out)) throw noCheckpoint();
  // The lock first: a live run's folder is refused as in use, whatever it holds yet.
  lock.release = prepareRunFolder(out, { force: options.force, resume: Boolean(options.resume) });
  if (options.resume && !fs.existsSync(path.join(out, CHECKPOINT_FILE))) throw noCheckpoint();
  // Production mode: no debug checks, and no "install tfjs-node" banner on the cpu backend.
  tf.enableProdMode();
  const backend = await selectBackend(options.backend);
  say(`mlspec: training ${plan.name} on ${backend.description}; output in ${out}`);

  const dataOptions = { baseDir: plan.dataBaseDir, seed, onWarning: (m: string) => say(`warning: ${m}`) };
  // Streamed data (a source that streams, data/csv-stream-dataset.ts): the loop reads the file each
  // epoch, and data.train is only the training-metrics sample.
  const streamed = (await plan.source.streamed?.(plan.data, dataOptions)) ?? null;
  const data = streamed ?? prepareDataset(plan.source, plan.data, dataOptions);
  const trainStream = streamed?.trainStream;
  if (trainStream && plan.batch === 'full') {
    for (const split of [data.train, data.validation, data.test]) if (split) tf.dispose([split.x, split.y]);
    throw new RunError(STREAM_FULL_BATCH);
  }
  const built = plan.buildModel(seed);
  // What this run trains, from the objects themselves: an edited compiled program records its edits.
  const programFingerprint = runFingerprint(plan, built);
  const program = describeRun(plan, built, epochs);
  // A compiled program's parts edited since it was compiled (summary.json "edited", spec.mlspec's first line).
  const edited = plan.compiled ? editedParts(plan.compiled, plan, built) : undefined;
  const misfit = dataFitProblem(built.model, data, plan.loss.name);
  if (misfit !== null) {
    disposeRun({ plan, data, built, seed, epochs, position: newLoopPosition(), programFingerprint, observer: {}, best: null }, data);
    throw new RunError(misfit);
  }
  // wasm cannot address more than 4 GiB: a run that cannot fit is refused now, not mid-training (memory-estimate.ts).
  if (backend.name === 'wasm') {
    const trainRows = data.train.x.shape[0] ?? 0;
    const batch = batchSizeOf(plan, trainRows);
    const splits = [data.train, data.validation, data.test].filter((s): s is NonNullable<typeof s> => s !== null);
    const estimate = estimateTrainingMemory({
      model: built.model,
      optimizer: plan.optimizer.name,
      batch,
      evaluationRows: Math.max(...splits.map((s) => s.x.shape[0] ?? 0)),
      dataTensors: splits.flatMap((s) => [s.x, s.y]),
      keepsBest: plan.stop.name === 'early',
    });
    const problem = wasmMemoryProblem(estimate, batch);
    if (problem !== null) {
      disposeRun({ plan, data, built, seed, epochs, position: newLoopPosition(), programFingerprint, observer: {}, best: null }, data);
      throw new RunError(problem);
    }
  }
  const ctx: TrainLoopContext = { plan, data, built, seed, epochs, position: newLoopPosition(), programFingerprint, observer: {}, best: null, batches: trainStream };
  const metricsFile = path.join(out, 'metrics.jsonl');
  let elapsedBefore = 0;

  if (options.resume) {
    const checkpoint = readCheckpointOrExplain(path.join(out, CHECKPOINT_FILE));
    const changed = changedSinceCheckpoint(checkpoint.header, plan.fingerprint, programFingerprint, seed);
    // Generated data changes with the seed; a data file may have been edited.
    if (checkpoint.header.dataHash !== data.hash) changed.push('data contents');
    if (changed.length > 0) {
      throw new RunError(
        `Cannot resume ${out}: the ${listInWords(changed)} changed since its checkpoint; only epochs, metrics, the stop rule and the checkpoint interval may change when resuming.`,
      );
    }
    try {
      restoreCheckpoint(ctx, checkpoint);
    } catch (error) {
      if (error instanceof RunError) throw error;
      throw new DamagedFileError(CHECKPOINT_FILE, `its state cannot be restored into this model (${error instanceof Error ? error.message.slice(0, 200) : String(error)})`);
    }
    elapsedBefore = checkpoint.header.elapsedSeconds;
    // Drop whatever was logged after the checkpoint: those steps will be run again. A shorter
    // file was not written by this run (truncating would pad it with zero bytes).
    const logged = fs.existsSync(metricsFile) ? fs.statSync(metricsFile).size : 0;
    if (logged < checkpoint.header.metricsBytes) {
      throw new RunError(`Cannot resume ${out}: metrics.jsonl holds ${logged} bytes but its checkpoint was written after ${checkpoint.header.metricsBytes}; the folder was changed by something else.`);
    }
    fs.truncateSync(metricsFile, checkpoint.header.metricsBytes);
    // A compiled program resumed after an edit (epochs, metrics, the stop rule) says so too.
    if (edited) fs.writeFileSync(path.join(out, 'spec.mlspec'), runSpecText(plan.specSource, edited));
    say(`mlspec: resumed at epoch ${ctx.position.epoch + 1}, step ${ctx.position.step + 1}`);
  } else {
    // An earlier run's checkpoint (in a folder reused with --force) must never be resumed with this run's metrics.
    fs.rmSync(path.join(out, CHECKPOINT_FILE), { force: true });
    fs.writeFileSync(metricsFile, '');
    fs.writeFileSync(path.join(out, 'spec.mlspec'), runSpecText(plan.specSource, edited));
    if (options.initFrom) {
      const from = path.resolve(options.cwd, options.initFrom);
      const modelDir = fs.existsSync(path.join(from, 'model', 'model.json')) ? path.join(from, 'model') : from;
      if (!fs.existsSync(path.join(modelDir, 'model.json'))) {
        throw new RunError(`There is no saved model in ${from} (expected model/model.json) to initialise from.`);
      }
      const saved = readSavedWeights(modelDir);
      copyWeightsFrom(saved, built, from);
      tf.dispose(saved.map((w) => w.tensor));
      say(`mlspec: initialised the weights from ${modelDir}`);
    }
  }

  // The rows of each split (the same on resume; written after a resume's checks, so a refused resume changes nothing).
  // Streamed CSV has no list of rows: its split is the per-row rule of data/stream-split.ts (a streamed image folder has one).
  if (!trainStream || data.splitRows.train.length > 0) writeFileAtomic(
    path.join(out, SPLIT_FILE),
    formatSplitFile(
      splitFileContents({
        source: plan.data.source,
        baseDir: plan.dataBaseDir,
        hash: data.hash,
        seed: data.dataSeed,
        shuffle: plan.data.shuffle,
        stratify: plan.data.split.stratify,
        rows: data.rowCount,
        splitRows: data.splitRows,
        rowLines: data.rowLines,
        splitFiles: data.splitFiles,
      }),
    ),
  );
  // metrics.jsonl is appended in batches: at each epoch's end and before each checkpoint.
  let pending: string[] = [];
  const flushMetrics = () => {
    if (pending.length > 0) fs.appendFileSync(metricsFile, pending.join(''));
    pending = [];
  };
  const started = Date.now();
  const elapsed = () => elapsedBefore + (Date.now() - started) / 1000;
  let paused = false;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
  };
  const handleSignals = options.handleSignals ?? true;
  if (handleSignals) process.on('SIGINT', onSigint);

  const display = consoleObserver(epochs, {
    quiet: options.quiet,
    interactive: options.interactive ?? Boolean(process.stderr.isTTY),
    write: note,
  });
  let samplesRun = 0;
  const loopCheckpoints = { count: 0, seconds: 0 };
  const saveCheckpoint = async () => {
    flushMetrics();
    // The lines the checkpoint counts must reach the disk before it does (a power cut after the
    // checkpoint's rename must not leave metrics.jsonl shorter than the checkpoint says).
    const metricsFd = fs.openSync(metricsFile, 'r+');
    try {
      fs.fsyncSync(metricsFd);
    } finally {
      fs.closeSync(metricsFd);
    }
    const bytes = fs.statSync(metricsFile).size;
    await writeCheckpoint(path.join(out, CHECKPOINT_FILE), ctx, data.hash, bytes, elapsed());
  };
  ctx.observer = {
    epochStart: (epoch, steps) => {
      display.epochStart?.(epoch, steps);
      options.observer?.epochStart?.(epoch, steps);
    },
    step: (info) => {
      samplesRun += info.size;
      pending.push(`${JSON.stringify({ type: 'step', epoch: info.epoch + 1, step: info.step + 1, loss: info.loss, lr: info.lr })}\n`);
      display.step?.(info);
      options.observer?.step?.(info);
    },
    epochEnd: (epoch, metrics, seconds) => {
      pending.push(`${JSON.stringify({ type: 'epoch', epoch: epoch + 1, ...metrics, time_s: seconds })}\n`);
      flushMetrics();
      display.epochEnd?.(epoch, metrics, seconds);
      options.observer?.epochEnd?.(epoch, metrics, seconds);
    },
    shouldPause: () => {
      paused = interrupted;
      return paused;
    },
    checkpoint: async () => {
      const t0 = performance.now();
      await saveCheckpoint();
      loopCheckpoints.count += 1;
      loopCheckpoints.seconds += (performance.now() - t0) / 1000;
    },
  };

  // samples/s counts the training loop (steps, end-of-epoch evaluation, periodic checkpoints),
  // not start-up, data preparation or writing the final outputs.
  const trainingStarted = Date.now();
  let trainingSeconds = 0;
  // Interrupted and diverged runs write report.html too, from the epochs they finished.
  const reportFile = path.join(out, REPORT_FILE);
  const partialReport = async (status: ReportRunStatus): Promise<string> => {
    const seconds = (Date.now() - trainingStarted) / 1000;
    const failure = await writePartialRunReport(out, {
      plan,
      data,
      built,
      history: ctx.position.history,
      status,
      facts: {
        spec: plan.name,
        spec_hash: plan.specHash,
        data_hash: data.hash,
        seed,
        backend: backend.name,
        ...(backend.adapter ? { adapter: backend.adapter } : {}),
        epochs_run: ctx.position.history.length,
        steps: ctx.position.step,
        stopped_early: false,
        restored_best_epoch: null,
        wall_time_s: elapsed(),
        samples_per_s: seconds > 0 ? samplesRun / seconds : 0,
        training_s: seconds,
        checkpoints: loopCheckpoints,
        program,
        ...(edited ? { edited } : {}),
      },
    });
    return failure === null ? ` The report so far is ${reportFile}.` : ` (The report could not be written: ${failure.message}.)`;
  };
  try {
    await runTrainingLoop(ctx, loop);
    trainingSeconds = (Date.now() - trainingStarted) / 1000;
  } catch (error) {
    if (error instanceof TrainingDivergedError) {
      flushMetrics();
      const kept = fs.existsSync(path.join(out, CHECKPOINT_FILE)) ? ` The last good checkpoint is kept in ${out}.` : '';
      const message = `${error.message}${kept}`;
      throw new RunError(`${message}${await partialReport({ kind: 'diverged', message })}`, 3);
    }
    throw error;
  } finally {
    if (handleSignals) process.off('SIGINT', onSigint);
  }
  if (paused) {
    // The message goes on a line of its own, below the progress bar (and the terminal's ^C).
    display.interrupt?.();
    const message = `Interrupted at epoch ${ctx.position.epoch + 1}, step ${ctx.position.step + 1}; a checkpoint was saved. Continue with --resume ${out}.`;
    throw new RunInterrupted(`${message}${await partialReport({ kind: 'interrupted', message })}`);
  }
  // The final checkpoint holds the last epoch's weights, not the restored best ones: a run resumed
  // with more epochs continues from where training stopped (and restores the best again at its end).
  await saveCheckpoint();
  const restored = restoreBestWeights(ctx);
  if (restored !== null) say(`mlspec: restored the weights of epoch ${restored + 1}, the best by the stop rule`);

  const wall = elapsed();
  const results = await finalResults(ctx, data);
  const summary: RunSummary = {
    spec: plan.name,
    spec_hash: plan.specHash,
    data_hash: data.hash,
    seed,
    backend: backend.name,
    ...(backend.adapter ? { adapter: backend.adapter } : {}),
    epochs_run: ctx.position.history.length,
    steps: ctx.position.step,
    stopped_early: ctx.position.stopped,
    restored_best_epoch: restored === null ? null : restored + 1,
    wall_time_s: wall,
    samples_per_s: trainingSeconds > 0 ? samplesRun / trainingSeconds : 0,
    training_s: trainingSeconds,
    checkpoints: loopCheckpoints,
    program,
    ...(edited ? { edited } : {}),
    ...results,
    out,
  };

  await saveModel(built.model, path.join(out, 'model'));
  writeFileAtomic(
    path.join(out, 'preprocessing.json'),
    `${JSON.stringify(
      {
        labels: data.labels,
        normalization: data.normalization,
        features: data.featureNames,
        missingFill: data.missingFill,
        // Typed columns' vocabularies (column-types.ts); only when the spec has typed columns.
        ...(data.columns ? { columns: data.columns } : {}),
        data: plan.data,
      },
      null,
      2,
    )}\n`,
  );
  writeFileAtomic(path.join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  await writeRunReport(out, { plan, summary, data, built });

  if (options.json) {
    write(`${JSON.stringify(summary)}\n`);
  } else if (!options.quiet) {
    const table: Record<string, EpochMetrics> = { train: results.train };
    if (results.validation) table.validation = results.validation;
    if (results.test) table.test = results.test;
    note('\n');
    write(`${formatResultsTable(table)}\n`);
  }
  say(`\n${plural(summary.epochs_run, 'epoch')}, ${plural(summary.steps, 'step')} in ${wall.toFixed(1)}s (${Math.round(summary.samples_per_s)} samples/s) on ${backend.name}`);
  say(`model, metrics and summary written to ${out}; the report is ${path.join(out, 'report.html')}`);
  disposeRun(ctx, data);
  return { summary, out };
}

/** Full-batch descent would hold the whole training split in one batch, which streamed data never does. */
const STREAM_FULL_BATCH =
  'Full-batch gradient descent (`gd`) takes the whole training split as one batch, which streamed data never holds; use `sgd` (or another optimizer) with `train.batch`, or read the data at once with `stream: false`.';

function disposeRun(ctx: TrainLoopContext, data: PreparedData): void {
  if (ctx.best) tf.dispose(ctx.best.weights);
  ctx.plan.optimizer.dispose();
  ctx.built.model.dispose();
  for (const split of [data.train, data.validation, data.test]) if (split) tf.dispose([split.x, split.y]);
}
