/**
 * `mlspec plan FILE`: what a run of the spec would do, without training: the model summary, the
 * split sizes (the data is read and split as a run would), steps per epoch and in total, the
 * learning-rate schedule as a terminal chart (`--svg FILE` writes it as SVG), and the files a
 * run writes. Everything goes to stdout; problems go to stderr.
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { evaluatePlan } from '../../interpret/evaluate.js';
import { modelSummary } from '../../ir/summary.js';
import { learningRateCurve } from '../../plan/lr-curve.js';
import { planText } from '../../plan/plan-text.js';
import { splitSizes, type SplitSizes } from '../../plan/split-sizes.js';
import { streamedSplitSizes } from '../../plan/streamed-split-sizes.js';
import { imageSplitSizes } from '../../plan/image-split-sizes.js';
import { listImageFolder } from '../../runtime/data/image-folder.js';
import { imagesStream } from '../../runtime/data/images-stream-choice.js';
import { csvStreams } from '../../runtime/data/csv-stream-choice.js';
import { describeRunFailure, formatRunFailure } from '../../runtime/failure.js';
import { reportDecimate } from '../../runtime/report/metrics-log.js';
import { reportLinePlot } from '../../runtime/report/svg-plot.js';
import { writeFileAtomic } from '../../runtime/atomic-write.js';
import { terminalSafe } from '../../runtime/safe-text.js';
import { batchSizeOf, stepsPerEpoch } from '../../runtime/train.js';
import type { CliIO } from '../cli-io.js';
import { collectSets } from '../overrides.js';
import { loadSpec } from '../spec-pipeline.js';

export interface PlanCommandOptions {
  svg?: string;
  epochs?: string;
  seed?: string;
  set?: string[];
}

const USAGE_ERROR = 2;

function wholeNumber(flag: string, text: string | undefined, io: CliIO): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    io.stderr(`mlspec plan: ${flag} takes a whole number, not '${text}'.\n`);
    return null;
  }
  return Number(text);
}

function reportFailure(error: unknown, io: CliIO): number {
  const failure = describeRunFailure(error);
  io.stderr(formatRunFailure(failure, 'mlspec plan'));
  return failure.exitCode;
}

export async function planCommand(file: string, options: PlanCommandOptions, io: CliIO): Promise<number> {
  const epochsOverride = wholeNumber('--epochs', options.epochs, io);
  const seedOverride = wholeNumber('--seed', options.seed, io);
  if (epochsOverride === null || seedOverride === null) return USAGE_ERROR;
  const loaded = loadSpec(file, io, { sets: options.set, command: 'plan' });
  if (typeof loaded === 'number') return loaded;

  const plan = evaluatePlan(loaded.plan, path.resolve(io.cwd, file));
  const seed = seedOverride ?? plan.seed;
  const epochs = epochsOverride ?? plan.epochs;
  let sizes: SplitSizes;
  try {
    // Name the data file the way the spec was named: absolute, or relative to the process's folder.
    const baseDir = path.isAbsolute(file) ? plan.dataBaseDir : path.relative(process.cwd(), plan.dataBaseDir) || '.';
    // Streamed data is split row by row (docs/semantics.md, "Streamed data"): counted in one pass.
    const csv = plan.data.source.kind === 'csv' && csvStreams(plan.data.source, plan.dataBaseDir) ? plan.data.source : null;
    // A streamed image folder is listed and split without decoding an image.
    const images = plan.data.source.kind === 'images' && imagesStream(plan.data.source, listImageFolder(plan.data.source.path, plan.dataBaseDir).files.length) ? plan.data.source : null;
    if (csv) sizes = await streamedSplitSizes(csv, plan.data, { baseDir, seed });
    else if (images) sizes = imageSplitSizes(images, plan.data, { baseDir, seed });
    else sizes = splitSizes(plan.source, plan.data, { baseDir, seed });
  } catch (error) {
    return reportFailure(error, io);
  }
  const batchSize = sizes.train === 0 ? 0 : batchSizeOf(plan, sizes.train);
  const perEpoch = stepsPerEpoch(plan, sizes.train);
  const curve = learningRateCurve(plan.schedule, plan.learningRate, perEpoch, epochs);

  // The plan quotes the spec's strings (data paths): control characters are escaped, nothing cut.
  io.stdout(
    terminalSafe(planText({
      file,
      ir: loaded.ir,
      modelSummary: modelSummary(loaded.ir),
      sizes,
      seed,
      epochs,
      batchSize,
      stepsPerEpoch: perEpoch,
      curve,
      defaultOut: path.join('runs', plan.name, '<timestamp>') + path.sep,
    }), Number.POSITIVE_INFINITY),
  );

  if (options.svg !== undefined) {
    const svg = reportLinePlot({
      title: `Learning rate of ${plan.name}${curve.dependsOnMetrics ? ' (before any reduction on plateau)' : ''}`,
      xLabel: 'step',
      yLabel: 'learning rate',
      series: [{ name: 'lr', points: reportDecimate(curve.points.map((p) => [p.step + 1, p.lr] as const), 2000), color: '#2ca02c' }],
      integerX: true,
      standalone: true,
    });
    const target = path.resolve(io.cwd, options.svg);
    try {
      writeFileAtomic(target, `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
    } catch (error) {
      io.stderr(`mlspec plan: cannot write ${options.svg} (${(error as NodeJS.ErrnoException).code ?? 'error'}).\n`);
      return USAGE_ERROR;
    }
    io.stderr(`mlspec plan: wrote the learning-rate chart to ${options.svg}\n`);
  }
  return 0;
}

export function registerPlanCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('plan')
    .description('show what a run would do (model, split sizes, steps, learning-rate schedule, files), without training')
    .argument('<file>', 'the .mlspec file')
    .option('--svg <file>', 'also write the learning-rate chart as an SVG file')
    .option('--epochs <n>', "plan with this many epochs instead of the spec's")
    .option('--seed <n>', "plan with this seed instead of the spec's (it decides the split)")
    .option('--set <path=value>', 'change a value of the spec, e.g. optimizer.lr=0.01 or model.dense_1.units=32 (repeatable)', collectSets, [])
    .addHelpText(
      'after',
      '\nExit status: 0 ok, 1 the spec or its data has a problem, 2 usage error or unreadable file.\n\nExamples:\n  $ mlspec plan examples/iris.mlspec\n  $ mlspec plan examples/sine_lstm.mlspec --svg lr.svg\n  $ mlspec plan examples/digits_cnn.mlspec --epochs 10',
    )
    .action(async (file: string, options: PlanCommandOptions) => setExit(await planCommand(file, options, io)));
}
