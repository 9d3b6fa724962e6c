/**
 * `mlspec evaluate RUN_DIR --data FILE.csv`: the loss and metrics of a trained model on new data;
 * `mlspec evaluate RUN_DIR --split test`: on the rows of one of the run's own splits (split.json).
 * The data is read exactly as in training (prepareNewData: the saved class names, feature
 * columns, missing-value fill and normalisation); the loss and metrics are those of the run's own
 * spec.mlspec. The loss includes the L1/L2 penalty, as the training loss and summary.json do.
 *
 * This file also holds what evaluate and predict share: reading a run folder and its new data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import { hasErrors } from '../../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../diagnostics/format.js';
import { evaluateCall } from '../../interpret/evaluate.js';
import { buildIR } from '../../ir/build.js';
import type { SpecIR } from '../../ir/types.js';
import { lowerSpec } from '../../lower/lower.js';
import type { PlanDescription } from '../../lower/plan-description.js';
import { BACKEND_NAMES, selectBackend, type BackendName } from '../../runtime/backend.js';
import { formatResultsTable } from '../../runtime/console.js';
import type { Loss, Metric, ModelGraph, Normalization } from '../../runtime/contracts.js';
import type { DataColumnEncoding } from '../../runtime/data/column-types.js';
import type { PrepareDataConfig } from '../../runtime/data/config.js';
import { prepareNewData, type PreparedNewData } from '../../runtime/data/prepare-new.js';
import { SPLIT_FILE, type SplitFile } from '../../runtime/data/split-file.js';
import { describeRunFailure, formatRunFailure } from '../../runtime/failure.js';
import { loadModel } from '../../runtime/model-io.js';
import { tfjsLayerName } from '../../runtime/model.js';
import { evaluateSplit } from '../../runtime/train.js';
import { parse } from '../../syntax/parse.js';
import { confinedPath, FileReadError, readRegularText } from '../../runtime/safe-read.js';
import { terminalSafe } from '../../runtime/safe-text.js';
import type { CliIO } from '../cli-io.js';
import { MAX_SPEC_READ_BYTES } from '../spec-pipeline.js';

const USAGE_ERROR = 2;

/** preprocessing.json as program.ts writes it. */
export interface SavedPreprocessing {
  labels: string[] | null;
  normalization: Normalization;
  features: string[];
  /** Absent in runs written before it was saved; the new data's own means are used then. */
  missingFill?: number[] | null;
  /** Typed columns' encodings (src/runtime/data/column-types.ts); absent without typed columns. */
  columns?: DataColumnEncoding[];
  data: PrepareDataConfig;
}

export interface TrainedRun {
  dir: string;
  model: tf.LayersModel;
  preprocessing: SavedPreprocessing;
  /** The run's spec.mlspec, built into IR (not re-checked: its data path is relative to where it was run) and lowered. */
  ir: SpecIR;
  plan: PlanDescription;
}

/** Writes "mlspec <command>: message" on stderr and returns the exit code. */
export function fail(io: CliIO, command: string, message: string, code: number): number {
  io.stderr(`mlspec ${command}: ${terminalSafe(message)}\n`);
  return code;
}

/** A run failure (DataError with file:line:column, backend unavailable, ...) as one line on stderr. */
export function reportRunFailure(error: unknown, io: CliIO, command: string): number {
  const failure = describeRunFailure(error);
  io.stderr(formatRunFailure(failure, `mlspec ${command}`));
  return failure.exitCode;
}

/** preprocessing.json holds labels and per-feature statistics: far smaller than this. */
const MAX_PREPROCESSING_BYTES = 64 * 1024 * 1024;

/** A file of the run folder: a regular file inside the folder (symlinks resolved), read with a size limit (FileReadError otherwise). */
function readRunFile(dir: string, file: string, limit: number): string {
  return readRegularText(confinedPath(dir, file, `the run folder ${dir}`), limit, file);
}

export function parseBackend(name: string, io: CliIO, command: string): BackendName | null {
  if ((BACKEND_NAMES as readonly string[]).includes(name)) return name as BackendName;
  fail(io, command, `--backend must be one of ${BACKEND_NAMES.join(', ')}, not '${name}'.`, USAGE_ERROR);
  return null;
}

/** Loads a run folder: model, preprocessing.json and spec.mlspec; on a problem prints it and returns the exit code. */
export async function loadTrainedRun(runDir: string, backend: BackendName, io: CliIO, command: string): Promise<TrainedRun | number> {
  const dir = path.resolve(io.cwd, runDir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return fail(io, command, `${runDir} is not a folder; pass the folder of a run (mlspec run --out DIR).`, USAGE_ERROR);
  const missing = ['model/model.json', 'preprocessing.json', 'spec.mlspec'].filter((file) => !fs.existsSync(path.join(dir, file)));
  if (missing.length > 0) {
    return fail(io, command, `${runDir} is not a finished run: it has no ${missing.join(', ')} (a run writes them when training ends).`, USAGE_ERROR);
  }

  let preprocessing: SavedPreprocessing;
  try {
    preprocessing = JSON.parse(readRunFile(dir, 'preprocessing.json', MAX_PREPROCESSING_BYTES)) as SavedPreprocessing;
    if (!preprocessing.normalization || !Array.isArray(preprocessing.features) || !preprocessing.data?.source) throw new Error('fields are missing');
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    return fail(io, command, `cannot read ${path.join(runDir, 'preprocessing.json')} (${reason}).`, 1);
  }

  const specFile = path.join(runDir, 'spec.mlspec');
  let source: string;
  try {
    source = readRunFile(dir, 'spec.mlspec', MAX_SPEC_READ_BYTES);
  } catch (error) {
    const reason = error instanceof FileReadError ? error.reason : (error as Error).message;
    return fail(io, command, `cannot read ${specFile} (${reason}).`, 1);
  }
  const parsed = parse(source, specFile);
  const built = hasErrors(parsed.diagnostics) ? null : buildIR(parsed.ast, specFile);
  const diagnostics = [...parsed.diagnostics, ...(built?.diagnostics ?? [])];
  if (!built?.ir || hasErrors(diagnostics)) {
    io.stderr(`${formatDiagnostics(diagnostics, new Map([[specFile, source]]), { color: io.color })}\n`);
    return fail(io, command, `the run's ${specFile} has errors, so its loss and metrics are unknown.`, 1);
  }

  try {
    tf.enableProdMode(); // as in training: no debug checks, no "install tfjs-node" banner
    await selectBackend(backend);
    const model = await loadModel(path.join(dir, 'model'));
    return { dir, model, preprocessing, ir: built.ir, plan: lowerSpec(built.ir, source) };
  } catch (error) {
    return reportRunFailure(error, io, command);
  }
}

/** A request evaluate or predict cannot serve (exit 2). */
export class RunUsageError extends Error {}

/** Reads a CSV file for a trained run with training's checks; throws DataError (or RunUsageError for a run without CSV data). */
export function readRunData(run: TrainedRun, dataFile: string, io: CliIO, readLabel = true): PreparedNewData {
  const { data } = run.preprocessing;
  if (data.source.kind === 'images') return readRunImages(run, dataFile, io, readLabel);
  if (data.source.kind !== 'csv') {
    throw new RunUsageError(
      `this run was trained on generated \`${data.source.kind}\` data; evaluate and predict read CSV files with the training data's columns, so they need a run trained on a CSV file.`,
    );
  }
  const absolute = path.resolve(io.cwd, dataFile);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
    throw new RunUsageError(`cannot read ${dataFile} (${fs.existsSync(absolute) ? 'it is a folder' : 'no such file'}).`);
  }
  // Messages name the file as the user wrote it: absolute as given, or relative (to the process's folder, which is io.cwd in the CLI).
  const shown = path.isAbsolute(dataFile) ? dataFile : path.relative(process.cwd(), absolute);
  const config: PrepareDataConfig = { ...data, source: { ...data.source, path: shown } };
  return prepareNewData(
    config,
    { baseDir: '.', seed: 0 },
    {
      labels: run.preprocessing.labels,
      normalization: run.preprocessing.normalization,
      featureNames: run.preprocessing.features,
      missingFill: run.preprocessing.missingFill,
      columns: run.preprocessing.columns ?? null,
    },
    readLabel,
  );
}

/** An image file or folder for a run trained on an image folder, prepared as in training; throws DataError. */
function readRunImages(run: TrainedRun, target: string, io: CliIO, readLabel: boolean): PreparedNewData {
  const absolute = path.resolve(io.cwd, target);
  if (!fs.existsSync(absolute)) throw new RunUsageError(`cannot read ${target} (no such file or folder).`);
  const shown = path.isAbsolute(target) ? target : path.relative(process.cwd(), absolute);
  const { data } = run.preprocessing;
  const config = { ...data, source: { ...data.source, path: shown } } as PrepareDataConfig;
  const saved = { labels: run.preprocessing.labels, normalization: run.preprocessing.normalization, featureNames: run.preprocessing.features, missingFill: run.preprocessing.missingFill };
  return prepareNewData(config, { baseDir: '.', seed: 0 }, saved, readLabel);
}

/**
 * The L1/L2 penalty of the spec's layers over the loaded weights, the same sum the training
 * loop adds to the loss (model.ts: l1 * sum|kernel| + l2 * sum(kernel^2) of each penalised layer).
 */
export function weightPenalty(model: tf.LayersModel, graph: ModelGraph): () => tf.Scalar | null {
  const terms: { kernel: tf.LayerVariable; l1: number; l2: number }[] = [];
  for (const node of graph.nodes) {
    const l1 = typeof node.config['l1'] === 'number' ? node.config['l1'] : 0;
    const l2 = typeof node.config['l2'] === 'number' ? node.config['l2'] : 0;
    if (l1 <= 0 && l2 <= 0) continue;
    const kernel = model.getLayer(tfjsLayerName(node.name)).trainableWeights.find((w) => w.originalName.endsWith('/kernel'));
    if (kernel) terms.push({ kernel, l1, l2 });
  }
  if (terms.length === 0) return () => null;
  return () =>
    tf.tidy(() => {
      let total: tf.Scalar = tf.scalar(0);
      for (const { kernel, l1, l2 } of terms) {
        const w = kernel.read();
        if (l1 > 0) total = tf.add(total, tf.mul(l1, tf.sum(tf.abs(w))));
        if (l2 > 0) total = tf.add(total, tf.mul(l2, tf.sum(tf.square(w))));
      }
      return total;
    });
}

export interface EvaluateCommandOptions {
  data?: string;
  split?: string;
  backend: string;
  json?: boolean;
}

const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
type SplitName = (typeof SPLIT_NAMES)[number];

/**
 * The rows of one of the run's own splits, read again from the run's data (the file named in
 * split.json, or the generator with split.json's seed) and prepared with the saved preprocessing.
 */
function readRunSplit(run: TrainedRun, split: SplitName, io: CliIO): PreparedNewData {
  const file = path.join(run.dir, SPLIT_FILE);
  if (!fs.existsSync(file)) {
    throw new RunUsageError(`${path.join(path.relative(io.cwd, run.dir) || '.', SPLIT_FILE)} does not exist (runs on streamed data, and runs made before mlspec saved the split, have none); evaluate this run with --data FILE.csv instead.`);
  }
  let saved: SplitFile;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as SplitFile;
    if (!Array.isArray(saved[split]) || typeof saved.data_hash !== 'string') throw new Error('fields are missing');
  } catch (error) {
    throw new RunDataError(`cannot read ${file} (${(error as Error).message}).`);
  }
  const { data } = run.preprocessing;
  // Split files: the split's rows are all the rows of its own file.
  const splitFile = saved.files ? saved.files[split] : undefined;
  if (splitFile === null) throw new RunUsageError(`the run has no ${split} rows (it was given no ${split} file).`);
  const dataFile = splitFile ?? saved.file;
  const config: PrepareDataConfig = (data.source.kind === 'csv' || data.source.kind === 'images') && dataFile !== null ? ({ ...data, source: { ...data.source, path: dataFile } } as PrepareDataConfig) : data;
  if (config.source.kind === 'csv' && !fs.existsSync(config.source.path!)) {
    throw new RunDataError(`the run's data file ${config.source.path} no longer exists, so its ${split} rows cannot be read again.`);
  }
  const all = prepareNewData(
    config,
    { baseDir: '.', seed: saved.seed },
    { labels: run.preprocessing.labels, normalization: run.preprocessing.normalization, featureNames: run.preprocessing.features, missingFill: run.preprocessing.missingFill, columns: run.preprocessing.columns ?? null },
  );
  const offset = splitFile === undefined ? 0 : split === 'train' ? 0 : split === 'validation' ? saved.train.length : saved.train.length + saved.validation.length;
  const rows = saved[split].map((row) => row - offset);
  try {
    if (all.hash !== (splitFile === undefined ? saved.data_hash : saved.file_hashes?.[split])) {
      throw new RunDataError(
        `${dataFile ?? `the ${saved.source} data`} changed since the run (its SHA-256 is not the one in split.json), so the run's ${split} rows are no longer in it.`,
      );
    }
    if (rows.length === 0) throw new RunUsageError(`the run has no ${split} rows (its split gives the ${split} split none).`);
    const index = tf.tensor1d(rows, 'int32');
    try {
      return { ...all, x: tf.gather(all.x, index), y: all.y ? tf.gather(all.y, index) : null, rowLines: saved.lines?.[split] ?? null };
    } finally {
      index.dispose();
    }
  } finally {
    tf.dispose([all.x, ...(all.y ? [all.y] : [])]);
  }
}

/** A problem with the run's own files or data (exit 1). */
class RunDataError extends Error {}

export async function evaluateCommand(runDir: string, options: EvaluateCommandOptions, io: CliIO): Promise<number> {
  const backend = parseBackend(options.backend, io, 'evaluate');
  if (backend === null) return USAGE_ERROR;
  if ((options.data === undefined) === (options.split === undefined)) {
    return fail(io, 'evaluate', 'pass either --data FILE.csv (new data) or --split train|validation|test (rows of the run\'s own split), not both or neither.', USAGE_ERROR);
  }
  if (options.split !== undefined && !(SPLIT_NAMES as readonly string[]).includes(options.split)) {
    return fail(io, 'evaluate', `--split must be one of ${SPLIT_NAMES.join(', ')}, not '${options.split}'.`, USAGE_ERROR);
  }
  const run = await loadTrainedRun(runDir, backend, io, 'evaluate');
  if (typeof run === 'number') return run;
  let data: PreparedNewData | null = null;
  const what = options.split !== undefined ? `the ${options.split} split` : options.data!;
  try {
    data = options.split !== undefined ? readRunSplit(run, options.split as SplitName, io) : readRunData(run, options.data!, io);
    if (data.y === null) {
      if (run.preprocessing.data.source.kind === 'images') {
        return fail(io, 'evaluate', `${what} has no class subfolders, so its images have no labels; evaluate needs a folder with one subfolder per class (predict does not).`, 1);
      }
      const label = run.preprocessing.data.source.kind === 'csv' ? run.preprocessing.data.source.label : 'label';
      return fail(io, 'evaluate', `${what} has no label column \`${label}\`; evaluate needs the labels (predict does not).`, 1);
    }
    const loss = evaluateCall(run.plan.loss) as Loss;
    const metrics = run.plan.metrics.map((m) => evaluateCall(m) as Metric);
    const results = await evaluateSplit({ model: run.model, penalty: weightPenalty(run.model, run.plan.graph) }, { x: data.x, y: data.y }, loss, metrics);
    const rows = data.x.shape[0]!;
    if (options.json) {
      const where = options.split !== undefined ? { split: options.split } : { data: options.data };
      io.stdout(`${JSON.stringify({ run: runDir, ...where, rows, ...results })}\n`);
    } else {
      io.stdout(`${formatResultsTable({ [options.split ?? path.basename(options.data!)]: results })}\n`);
      io.stderr(`mlspec evaluate: ${rows} ${rows === 1 ? 'row' : 'rows'} of ${what} with the model of ${runDir}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof RunUsageError) return fail(io, 'evaluate', error.message, USAGE_ERROR);
    if (error instanceof RunDataError) return fail(io, 'evaluate', error.message, 1);
    return reportRunFailure(error, io, 'evaluate');
  } finally {
    if (data) tf.dispose([data.x, ...(data.y ? [data.y] : [])]);
    run.model.dispose();
  }
}

export function registerEvaluateCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('evaluate')
    .description("loss and metrics of a trained run's model on new CSV data")
    .argument('<run-dir>', 'the folder of a finished run')
    .option('-d, --data <file>', 'a CSV file with the columns of the training data, labels included')
    .option('-s, --split <name>', "the run's own train, validation or test rows (from its split.json) instead of --data")
    .option('-b, --backend <name>', 'auto | wasm | cpu | tensorflow | webgpu | gpu', 'wasm')
    .option('--json', 'print the results as one JSON object')
    .addHelpText(
      'after',
      '\nExit status: 0 ok, 1 the data or the run has a problem, 2 usage error or not a run folder.\n\nExamples:\n  $ mlspec run examples/iris.mlspec --out runs/iris\n  $ mlspec evaluate runs/iris --data examples/data/iris.csv\n  $ mlspec evaluate runs/iris --data new.csv --json\n  $ mlspec evaluate runs/iris --split test',
    )
    .action(async (runDir: string, options: EvaluateCommandOptions) => setExit(await evaluateCommand(runDir, options, io)));
}
