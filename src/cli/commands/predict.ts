/**
 * `mlspec predict RUN_DIR --data FILE.csv [-o OUT.csv]`: a trained run's predictions for the rows
 * of a CSV file (read as in training; the label column may be absent). One output row per input
 * row, starting with the row's line in the input file:
 *
 *   classification   line,predicted,p_<class>,...   the class name and each class's probability
 *                    (softmax or sigmoid applied when the loss works on logits)
 *   regression       line,predicted                  or predicted_1,... for several outputs
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Command } from 'commander';
import type { SpecIR } from '../../ir/types.js';
import type { PreparedNewData } from '../../runtime/data/prepare-new.js';
import { writeFileAtomic } from '../../runtime/atomic-write.js';
import { predictSplit } from '../../runtime/train.js';
import type { CliIO } from '../cli-io.js';
import { fail, loadTrainedRun, parseBackend, readRunData, reportRunFailure, RunUsageError } from './evaluate.js';
import { maxOf } from '../../runtime/array-extremes.js';

const USAGE_ERROR = 2;

export interface PredictCommandOptions {
  data: string;
  output?: string;
  force?: boolean;
  backend: string;
}

/** A CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const numberText = (value: number): string => String(Number(value.toPrecision(7)));

/** The prediction table of model outputs: a header and one row per sample. */
export function predictionTable(
  output: { values: Float32Array | Int32Array | Uint8Array; perRow: number },
  lines: readonly (number | string)[],
  task: { classification: true; fromLogits: boolean; classNames: readonly string[] } | { classification: false },
): string[][] {
  const { values, perRow } = output;
  const rows: string[][] = [];
  if (!task.classification) {
    const first = typeof lines[0] === 'string' ? 'file' : 'line';
    const header = perRow === 1 ? [first, 'predicted'] : [first, ...Array.from({ length: perRow }, (_, j) => `predicted_${j + 1}`)];
    rows.push(header);
    lines.forEach((line, i) => rows.push([String(line), ...Array.from(values.subarray(i * perRow, (i + 1) * perRow), numberText)]));
    return rows;
  }
  const classes = perRow === 1 ? 2 : perRow;
  const names = Array.from({ length: classes }, (_, c) => task.classNames[c] ?? String(c));
  rows.push([typeof lines[0] === 'string' ? 'file' : 'line', 'predicted', ...names.map((name) => `p_${name}`)]);
  lines.forEach((line, i) => {
    let probabilities: number[];
    if (perRow === 1) {
      const raw = values[i]!;
      const p = task.fromLogits ? 1 / (1 + Math.exp(-raw)) : raw;
      probabilities = [1 - p, p];
    } else {
      const raw = Array.from(values.subarray(i * perRow, (i + 1) * perRow));
      if (task.fromLogits) {
        const top = maxOf(raw);
        const exps = raw.map((v) => Math.exp(v - top));
        const sum = exps.reduce((a, b) => a + b, 0);
        probabilities = exps.map((e) => e / sum);
      } else {
        probabilities = raw;
      }
    }
    let best = 0;
    probabilities.forEach((p, c) => {
      if (p > probabilities[best]!) best = c;
    });
    rows.push([String(line), names[best]!, ...probabilities.map(numberText)]);
  });
  return rows;
}

function isClassification(ir: SpecIR): boolean {
  return ir.loss.kind === 'binary_cross_entropy' || ir.loss.kind === 'categorical_cross_entropy' || ir.loss.kind === 'sparse_categorical_cross_entropy';
}

export async function predictCommand(runDir: string, options: PredictCommandOptions, io: CliIO): Promise<number> {
  const backend = parseBackend(options.backend, io, 'predict');
  if (backend === null) return USAGE_ERROR;
  // Refused before anything is loaded, as run and compile refuse to overwrite.
  if (options.output !== undefined && !options.force && fs.existsSync(path.resolve(io.cwd, options.output))) {
    return fail(io, 'predict', `${options.output} already exists; pass --force to overwrite it or choose another -o.`, USAGE_ERROR);
  }
  const run = await loadTrainedRun(runDir, backend, io, 'predict');
  if (typeof run === 'number') return run;
  let data: PreparedNewData | null = null;
  try {
    // The label column is not needed: a bad or empty value there must not stop a prediction.
    data = readRunData(run, options.data, io, false);
    const n = data.x.shape[0]!;
    const output = predictSplit({ model: run.model, penalty: () => null }, data.x);
    const values = await output.data();
    const perRow = n === 0 ? 1 : values.length / n;
    output.dispose();
    // Image data: each row is named by its file instead of a line.
    const lines = data.rowNames ?? data.rowLines ?? Array.from({ length: n }, (_, i) => i + 2);
    const { loss } = run.ir;
    const task = isClassification(run.ir)
      ? { classification: true as const, fromLogits: 'from_logits' in loss && loss.from_logits, classNames: run.preprocessing.labels ?? [] }
      : { classification: false as const };
    const csv = `${predictionTable({ values, perRow }, lines, task)
      .map((row) => row.map(csvField).join(','))
      .join('\n')}\n`;
    if (options.output === undefined) {
      io.stdout(csv);
    } else {
      try {
        writeFileAtomic(path.resolve(io.cwd, options.output), csv);
      } catch (error) {
        return fail(io, 'predict', `cannot write ${options.output} (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, USAGE_ERROR);
      }
      io.stderr(`mlspec predict: wrote ${n} predictions to ${options.output}\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof RunUsageError) return fail(io, 'predict', error.message, USAGE_ERROR);
    return reportRunFailure(error, io, 'predict');
  } finally {
    if (data) tf.dispose([data.x, ...(data.y ? [data.y] : [])]);
    run.model.dispose();
  }
}

export function registerPredictCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('predict')
    .description("a trained run's predictions for the rows of a CSV file, as CSV")
    .argument('<run-dir>', 'the folder of a finished run')
    .requiredOption('-d, --data <file>', 'a CSV file with the feature columns of the training data (the label column may be absent); for a run on images, an image file or folder')
    .option('-o, --output <file>', 'write the CSV to this file instead of stdout (refused if it exists, unless --force)')
    .option('--force', 'overwrite the -o file if it exists')
    .option('-b, --backend <name>', 'auto | wasm | cpu | tensorflow | webgpu | gpu', 'wasm')
    .addHelpText(
      'after',
      '\nOutput columns: line (of the row in the input file), then predicted and p_<class> for each class\n(classification), or predicted / predicted_1, predicted_2, ... (regression).\n\nExit status: 0 ok, 1 the data or the run has a problem, 2 usage error or not a run folder.\n\nExamples:\n  $ mlspec run examples/iris.mlspec --out runs/iris\n  $ mlspec predict runs/iris --data examples/data/iris.csv -o predictions.csv\n  $ mlspec predict runs/iris --data new.csv | head',
    )
    .action(async (runDir: string, options: PredictCommandOptions) => setExit(await predictCommand(runDir, options, io)));
}
