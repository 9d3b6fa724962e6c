/**
 * What a run actually trained, read from the objects it trained with (describe.ts), not from the
 * spec: summary.json's `program` and the report show it, and checkpoints keep its fingerprint, so
 * a compiled program that was edited (more units, another optimizer) records the edit, and
 * `--resume` refuses a checkpoint of a different model or optimizer.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { JsonValue } from './contracts.js';
import { describeModel, descriptionOf, digest, modelFingerprint, type PartDescription } from './describe.js';
import type { BuiltModel } from './model.js';
import type { PrepareDataConfig } from './data/prepare.js';
import type { TrainingPlan } from './plan.js';
export { editedSentence, runSpecText } from './edited-note.js';

export interface ProgramDescription {
  /** 'spec' for `mlspec run`, 'program' for a compiled program (whose file may have been edited). */
  source: 'spec' | 'program';
  /** SHA-256 of what ran: the spec source for `mlspec run`, the program's TypeScript file for a compiled program. */
  sha256: string;
  model: JsonValue[];
  loss: PartDescription | null;
  optimizer: PartDescription & { lr: number };
  clip: PartDescription | null;
  schedule: PartDescription | null;
  stop: PartDescription | null;
  epochs: number;
  batch: number | 'full';
  shuffle: boolean;
}

/** The program's TypeScript source: the .ts (.mts) file beside the JavaScript that runs, when there is one. */
function programSource(file: string): string {
  const local = file.startsWith('file:') ? fileURLToPath(file) : file;
  const typescript = local.replace(/\.js$/, '.ts').replace(/\.mjs$/, '.mts');
  return typescript !== local && fs.existsSync(typescript) ? typescript : local;
}

function fileHash(file: string): string {
  return createHash('sha256').update(fs.readFileSync(programSource(file))).digest('hex');
}

export function describeRun(plan: TrainingPlan, built: BuiltModel, epochs: number): ProgramDescription {
  return {
    source: plan.programFile === undefined ? 'spec' : 'program',
    sha256: plan.programFile === undefined ? plan.specHash : fileHash(plan.programFile),
    model: describeModel(built.model),
    loss: descriptionOf(plan.loss),
    optimizer: { ...descriptionOf(plan.optimizer)!, lr: plan.learningRate },
    clip: descriptionOf(plan.clip),
    schedule: descriptionOf(plan.schedule),
    stop: descriptionOf(plan.stop),
    epochs,
    batch: plan.batch,
    shuffle: plan.shuffle,
  };
}

/**
 * Digests of each part that must not change when a run is resumed (model, data, loss, optimizer
 * with its learning rate, clip, schedule, batch); epochs, metrics, the stop rule and the
 * checkpoint interval may change.
 */
export function runFingerprint(plan: TrainingPlan, built: BuiltModel): Record<string, string> {
  return {
    model: modelFingerprint(built.model),
    data: digest(plan.data),
    loss: digest(descriptionOf(plan.loss)),
    optimizer: digest({ ...descriptionOf(plan.optimizer), lr: plan.learningRate }),
    clip: digest(descriptionOf(plan.clip)),
    schedule: digest(descriptionOf(plan.schedule)),
    batch: digest(plan.batch),
  };
}

/** The program's data config as its file wrote it: `--data PATH` replaces a file at run time, which is no edit. */
const sourceAsWritten = new WeakMap<object, object>();

/** Remembers that `given` is `written` with files replaced by the command line (entry.ts withDataFiles). */
export function rememberSourceAsWritten(given: object, written: object): void {
  sourceAsWritten.set(given, sourceAsWritten.get(written) ?? written);
}

/** JSON with keys sorted, so a digest does not depend on the order a config's keys were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
}

function dataAsWritten(data: PrepareDataConfig): unknown {
  return canonical({ ...data, source: sourceAsWritten.get(data.source) ?? data.source });
}

/**
 * Digests of every part of a program a person may edit, read from its objects: a compiled program
 * carries them as it was compiled (src/emit computes them with this function from the unedited
 * plan), and its runs compare them with the running program's (editedParts) to say which parts
 * were edited since. The epochs and seed are the program's own, not --epochs or --seed.
 */
export function programDigests(plan: TrainingPlan, built: BuiltModel | null): Record<string, string> {
  return {
    // No model digest without a built model (src/emit builds none for a very large model).
    ...(built ? { model: modelFingerprint(built.model) } : {}),
    data: digest(dataAsWritten(plan.data)),
    loss: digest(canonical(descriptionOf(plan.loss))),
    optimizer: digest(canonical(descriptionOf(plan.optimizer))),
    learningRate: digest(plan.learningRate),
    clip: digest(canonical(descriptionOf(plan.clip))),
    schedule: digest(canonical(descriptionOf(plan.schedule))),
    metrics: digest(canonical(plan.metrics.map(descriptionOf))),
    stop: digest(canonical(descriptionOf(plan.stop))),
    epochs: digest(plan.epochs),
    batch: digest(plan.batch),
    shuffle: digest(plan.shuffle),
    seed: digest(plan.seed),
  };
}

/**
 * The parts of a compiled program edited since it was compiled (empty when none), in
 * programDigests' order; a part the program carries no digest of (a very large model) is not listed.
 */
export function editedParts(compiled: Record<string, string>, plan: TrainingPlan, built: BuiltModel): string[] {
  return Object.entries(programDigests(plan, built))
    .filter(([part, value]) => Object.hasOwn(compiled, part) && compiled[part] !== value)
    .map(([part]) => part);
}
