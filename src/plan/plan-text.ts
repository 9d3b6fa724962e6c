/**
 * What `mlspec plan` prints: the model summary, the split sizes, the step arithmetic, the
 * learning-rate schedule as a terminal chart, and the files a run will write.
 */
import type { SpecIR } from '../ir/types.js';
import { callText } from './call-text.js';
import type { LearningRateCurve } from './lr-curve.js';
import { RUN_FILES } from './run-files.js';
import type { SplitSizes } from './split-sizes.js';
import { terminalChart } from './terminal-chart.js';

export interface PlanFacts {
  file: string;
  ir: SpecIR;
  /** modelSummary(ir) */
  modelSummary: string;
  sizes: SplitSizes;
  seed: number;
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  curve: LearningRateCurve;
  /** The run folder a run would use by default. */
  defaultOut: string;
}

const count = (n: number): string => n.toLocaleString('en-US');
const rate = (lr: number): string => String(Number(lr.toPrecision(4)));

function heading(title: string): string {
  return `${title}\n${'-'.repeat(title.length)}`;
}

function dataLines(facts: PlanFacts): string[] {
  const { sizes, ir } = facts;
  const split = ir.data.split;
  const how = [split.stratify && sizes.classes !== null ? 'stratified by class' : null, ir.data.shuffle ? 'shuffled' : 'in file order', `seed ${ir.data.seed ?? facts.seed}`]
    .filter((part) => part !== null)
    .join(', ');
  return [
    `  source          ${sizes.origin}: ${count(sizes.rows)} ${sizes.rows === 1 ? 'row' : 'rows'}${sizes.classes !== null ? `, ${sizes.classes} ${sizes.classes === 1 ? 'class' : 'classes'}` : ''}`,
    `  split           ${count(sizes.train)} train, ${count(sizes.validation)} validation, ${count(sizes.test)} test (${how})`,
    `  normalize       ${ir.data.normalize}`,
  ];
}

function trainingLines(facts: PlanFacts): string[] {
  const { ir } = facts;
  const fullBatch = ir.optimizer.kind === 'gd' || ir.train.batch === 'full';
  const stop = ir.train.stop.kind === 'epochs' ? 'runs every epoch' : `may end before epoch ${facts.epochs}: ${callText(ir.train.stop)}`;
  const steps = fullBatch
    ? `${facts.stepsPerEpoch} (the whole training split in one batch)`
    : `${facts.stepsPerEpoch} (ceil(${count(facts.sizes.train)} / ${facts.batchSize}))`;
  return [
    `  epochs          ${facts.epochs} (${stop})`,
    `  batch size      ${count(facts.batchSize)}${fullBatch ? ' (full batch)' : ''}`,
    `  steps/epoch     ${steps}`,
    `  total steps     ${count(facts.stepsPerEpoch * facts.epochs)}${ir.train.stop.kind === 'epochs' ? '' : ' at most'}`,
    `  loss            ${callText(ir.loss)}`,
    `  optimizer       ${callText(ir.optimizer)}`,
    `  clip            ${ir.clip ? callText(ir.clip) : 'none'}`,
    `  schedule        ${callText(ir.schedule)}`,
    `  metrics         ${ir.train.metrics.length > 0 ? ir.train.metrics.join(', ') : '(loss only)'}`,
    `  seed            ${facts.seed}`,
    `  checkpoints     ${checkpointText(ir.train)}`,
  ];
}

/** When checkpoints are written: "every epoch and every 60 s within an epoch; also at the end and on Ctrl-C". */
function checkpointText(train: SpecIR['train']): string {
  const periodic: string[] = [];
  const every = train.checkpoint_every;
  if (every > 0) periodic.push(every === 1 ? 'every epoch' : `every ${every} epochs`);
  if (train.checkpoint_seconds > 0) periodic.push(`every ${train.checkpoint_seconds} s within an epoch`);
  return periodic.length === 0 ? 'at the end and on Ctrl-C' : `${periodic.join(' and ')}; also at the end and on Ctrl-C`;
}

/** The plateau schedule in the IR, possibly behind a warm-up. */
function plateauOf(schedule: SpecIR['schedule']): Extract<SpecIR['schedule'], { kind: 'plateau' }> | null {
  if (schedule.kind === 'plateau') return schedule;
  if (schedule.kind === 'warmup') return plateauOf(schedule.then);
  return null;
}

function learningRateLines(facts: PlanFacts): string[] {
  const { points } = facts.curve;
  if (points.length === 0) return ['  (no training steps: the training split is empty)'];
  const first = points[0]!;
  const last = points[points.length - 1]!;
  const lines = [
    `Over ${count(points.length)} ${points.length === 1 ? 'step' : 'steps'} the rate goes from ${rate(first.lr)} (step 1) to ${rate(last.lr)} (step ${count(last.step + 1)}).`,
  ];
  const plateau = plateauOf(facts.ir.schedule);
  if (facts.curve.dependsOnMetrics && plateau) {
    lines.push(
      `The rate also drops by a factor ${plateau.factor} whenever ${plateau.monitor} has not improved for ${plateau.patience} ${plateau.patience === 1 ? 'epoch' : 'epochs'} (down to ${plateau.min});`,
      `that depends on the validation metrics of the run, so the chart shows the rate until the first drop (base rate ${facts.ir.optimizer.lr}).`,
    );
  }
  lines.push('', terminalChart(points.map((p) => [p.step + 1, p.lr] as const), { formatX: (x) => `step ${count(x)}` }));
  return lines;
}

export function planText(facts: PlanFacts): string {
  const files = RUN_FILES.map(({ file, what }) => `  ${file.padEnd(20)}${what}`);
  return [
    `Plan for ${facts.file} (nothing is trained)`,
    '',
    heading('Model'),
    facts.modelSummary,
    '',
    heading('Data'),
    ...dataLines(facts),
    '',
    heading('Training'),
    ...trainingLines(facts),
    '',
    heading('Learning rate'),
    ...learningRateLines(facts),
    '',
    heading('Files'),
    `A run writes into ${facts.defaultOut} (or the folder given with --out):`,
    ...files,
    '',
  ].join('\n');
}
