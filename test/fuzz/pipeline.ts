/**
 * What the fuzzer does with one input: the whole path a spec takes through mlspec, stopping at
 * the first stage that rejects it with a documented answer.
 *
 *   analyze        diagnostics (well-formed, inside the source, printable), never an exception
 *   compile        lower + emitProgram through compileOutputs, for specs without errors
 *   dry run        evaluatePlan, prepareDataset, plan.buildModel on the cpu backend and one real
 *                  training step, for models under DRY_RUN_MAX_PARAMS parameters and data under
 *                  DRY_RUN_MAX_VALUES numbers; a DataError or a diverged loss is an answer too
 *
 * Anything else that is thrown is a crash: exerciseSpec rethrows it as a FuzzCrash naming the
 * stage. Used by test/fuzz/fuzz.test.ts and scripts/fuzz.mjs (which runs it from dist/).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { hasErrors, type Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';
import { compileOutputs } from '../../src/emit/compile.js';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { inferShapes, totalParams } from '../../src/ir/shapes.js';
import type { SpecIR } from '../../src/ir/types.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { DataError } from '../../src/runtime/data/errors.js';
import { prepareDataset } from '../../src/runtime/data/prepare-dataset.js';
import { runTrainingLoop } from '../../src/runtime/loop-steps.js';
import { runFingerprint } from '../../src/runtime/run-description.js';
import { newLoopPosition, TrainingDivergedError, type TrainLoopContext } from '../../src/runtime/train.js';

/** Models at most this large are built and trained for one step. */
export const DRY_RUN_MAX_PARAMS = 100_000;
/** Generated data sets at most this large (numbers) are prepared for the dry run. */
export const DRY_RUN_MAX_VALUES = 100_000;

export type Stage = 'rejected' | 'compiled' | 'data-error' | 'diverged' | 'trained';

export interface Outcome {
  stage: Stage;
  /** Diagnostics by severity. */
  errors: number;
  warnings: number;
}

export class FuzzCrash extends Error {
  constructor(
    readonly stage: string,
    readonly reason: unknown,
  ) {
    const detail = reason instanceof Error ? (reason.stack ?? reason.message) : String(reason);
    super(`${stage}: ${detail}`);
    this.name = 'FuzzCrash';
  }
}

/** The cpu backend, in production mode (no banner); call once before exerciseSpec. */
export async function prepareFuzzRuntime(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  await tf.ready();
}

function stage<T>(name: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw error instanceof FuzzCrash ? error : new FuzzCrash(name, error);
  }
}

/** Describes the first diagnostic that is malformed or points outside the source; null when all are fine. */
export function diagnosticProblem(source: string, file: string, diagnostics: readonly Diagnostic[]): string | null {
  const lines = source.split(/\r\n|\r|\n/);
  for (const d of diagnostics) {
    const { start, end } = d.span;
    const where = `${d.code} ${start.line}:${start.column}-${end.line}:${end.column}`;
    if (d.file !== file || !/^[EW]\d{4}$/.test(d.code) || typeof d.message !== 'string' || d.message.length === 0) return `malformed diagnostic ${where}`;
    if (!['error', 'warning', 'info'].includes(d.severity)) return `unknown severity ${d.severity} in ${where}`;
    for (const p of [start, end]) {
      if (!(Number.isInteger(p.line) && p.line >= 1 && p.line <= lines.length)) return `line out of range: ${where}`;
      if (!(Number.isInteger(p.column) && p.column >= 1 && p.column <= lines[p.line - 1]!.length + 1)) return `column out of range: ${where}`;
    }
    if (start.line > end.line || (start.line === end.line && start.column > end.column)) return `start after end: ${where}`;
  }
  return null;
}

/** Numbers a source would produce (at most: the size in bytes for a CSV file). */
function generatedValues(ir: SpecIR, file: string): number {
  const s = ir.data.source;
  if (s.kind === 'random') return s.samples * (s.features + (s.classes > 0 ? 1 : s.targets));
  if (s.kind === 'sequence') return 2 * s.samples * s.length;
  if (s.kind === 'sine') return s.samples * (s.window + 1);
  // An image folder's size is not known without reading it: compiled, never dry-run.
  if (s.kind === 'images') return Infinity;
  // A CSV file holds fewer numbers than bytes, so its size bounds the work; a path that is not a
  // regular file was refused by the checks already.
  try {
    const stats = fs.statSync(path.resolve(path.dirname(file), s.path ?? s.train!));
    return stats.isFile() ? stats.size : Infinity;
  } catch {
    return Infinity;
  }
}

export async function exerciseSpec(source: string, file: string): Promise<Outcome> {
  const { ir, diagnostics } = stage('analyze', () => analyze(source, file));
  const problem = diagnosticProblem(source, file, diagnostics);
  if (problem) throw new FuzzCrash('analyze', new Error(problem));
  stage('format diagnostics', () => formatDiagnostics(diagnostics, new Map([[file, source]]), { color: false }));
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const counts = { errors, warnings: diagnostics.length - errors };
  if (hasErrors(diagnostics)) return { stage: 'rejected', ...counts };
  if (!ir) throw new FuzzCrash('analyze', new Error('no errors were reported, yet there is no IR'));

  const plan = stage('lower', () => lowerSpec(ir, source));
  const files = stage('compile', () => compileOutputs(ir, plan, { specPath: file, out: path.join(os.tmpdir(), 'mlspec-fuzz'), version: '0.0.0-fuzz' }));
  const program = String(files[0]?.content ?? '');
  // The spec reaches the program only as literals: whatever it holds, the program keeps its shape:
  // one entry point at the start of a line, and the spec source function as its last lines.
  const lines = program.trimEnd().split('\n');
  const entry = lines.filter((line) => line === 'process.exitCode = await mlspec.runProgram(').length;
  if (entry !== 1 || lines.at(-1) !== '}' || lines.at(-3) !== 'function specSource(): string {') {
    throw new FuzzCrash('compile', new Error('the emitted program does not have its entry point and spec source where they belong'));
  }

  const params = stage('shapes', () => totalParams(inferShapes(ir.model, file)));
  if (params > DRY_RUN_MAX_PARAMS || generatedValues(ir, file) > DRY_RUN_MAX_VALUES) return { stage: 'compiled', ...counts };
  return { stage: await dryRun(ir, plan, file), ...counts };
}

/** evaluatePlan, data, model, and one training step through the real loop; everything is disposed. */
async function dryRun(ir: SpecIR, plan: ReturnType<typeof lowerSpec>, file: string): Promise<Stage> {
  const training = stage('evaluate plan', () => evaluatePlan(plan, file));
  const seed = training.seed;
  let data: ReturnType<typeof prepareDataset> | null = null;
  let ctx: TrainLoopContext | null = null;
  try {
    try {
      data = prepareDataset(training.source, training.data, { baseDir: training.dataBaseDir, seed, onWarning: () => {} });
    } catch (error) {
      if (error instanceof DataError) return 'data-error';
      throw new FuzzCrash('prepare data', error);
    }
    const built = stage('build model', () => training.buildModel(seed));
    ctx = { plan: training, data, built, seed, epochs: Math.max(1, ir.train.epochs), position: newLoopPosition(), programFingerprint: runFingerprint(training, built), observer: {}, best: null };
    const loop = ctx;
    loop.observer = { shouldPause: () => loop.position.step >= 1 };
    try {
      await runTrainingLoop(loop);
    } catch (error) {
      if (error instanceof TrainingDivergedError) return 'diverged';
      throw new FuzzCrash('train one step', error);
    }
    return 'trained';
  } finally {
    if (ctx) {
      if (ctx.best) tf.dispose(ctx.best.weights);
      ctx.built.model.dispose();
    }
    training.optimizer.dispose();
    if (data) for (const split of [data.train, data.validation, data.test]) if (split) tf.dispose([split.x, split.y]);
  }
}
