/**
 * The command line of a compiled program: the same options as `mlspec run` plus --data, parsed
 * with node:util, then runTraining with the program's own loop, with errors reported in one
 * sentence and a documented exit code.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES, type BackendName } from './backend.js';
import type { DataSourceConfig } from './data/config.js';
import type { TrainingLoop } from './loop-steps.js';
import { runTraining, type RunOptions } from './program.js';
import { rememberSourceAsWritten } from './run-description.js';
import type { TrainingPlan } from './plan.js';
import { describeRunFailure, formatRunFailure } from './failure.js';

export const PROGRAM_USAGE = `Options:
  --out DIR         run folder (default runs/<name>/<timestamp>)
  --backend NAME    auto | wasm | cpu | tensorflow | webgpu | gpu (default wasm)
  --seed N          override the spec's seed
  --epochs N        override the spec's epochs
  --resume DIR      continue the run in DIR from its checkpoint
  --init-from DIR   start from the weights saved in run folder DIR
  --data PATH       train on this CSV file instead of the program's (or --data train=PATH,
                    validation=PATH, test=PATH for split files; repeatable)
  --force           allow writing into a folder that already holds files
  --quiet           print only errors
  --json            print the summary as JSON
  --help            show this help`;


function parseCount(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${flag} takes a whole number, not '${text}'.`);
  return Number(text);
}

/** A compiled program's options: those of a run, and --data replacements of its data files. */
export interface ProgramOptions extends RunOptions {
  /** Data files by option (path, train, validation, test), absolute. */
  data: Record<string, string>;
}

const DATA_OPTIONS = ['path', 'train', 'validation', 'test'];

/** `--data PATH` replaces the data file; `--data train=PATH` (validation=, test=) a split file. */
function parseDataOptions(values: string[], cwd: string): Record<string, string> {
  const data: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    const named = eq > 0 && DATA_OPTIONS.includes(value.slice(0, eq));
    const option = named ? value.slice(0, eq) : 'path';
    const file = named ? value.slice(eq + 1) : value;
    if (file === '') throw new Error(`--data ${value} names no file; give --data PATH or --data train=PATH.`);
    data[option] = path.resolve(cwd, file);
  }
  return data;
}

/** Parses the program's arguments into ProgramOptions (throws an Error with a one-line message on misuse). */
export function parseProgramArgs(argv: string[], cwd: string): ProgramOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      backend: { type: 'string' },
      seed: { type: 'string' },
      epochs: { type: 'string' },
      resume: { type: 'string' },
      'init-from': { type: 'string' },
      data: { type: 'string', multiple: true },
      force: { type: 'boolean' },
      quiet: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const backend = (values.backend ?? 'wasm') as BackendName;
  if (!BACKEND_NAMES.includes(backend)) throw new Error(`--backend must be one of ${BACKEND_NAMES.join(', ')}, not '${values.backend}'.`);
  return {
    out: values.out,
    backend,
    seed: parseCount('--seed', values.seed),
    epochs: parseCount('--epochs', values.epochs),
    resume: values.resume,
    initFrom: values['init-from'],
    data: parseDataOptions(values.data ?? [], cwd),
    force: values.force ?? false,
    quiet: values.quiet ?? false,
    json: values.json ?? false,
    cwd,
  };
}

/** The folder of a compiled program's file, against which its relative data paths resolve. */
export function programDir(moduleUrl: string): string {
  return path.dirname(fileURLToPath(moduleUrl));
}

/**
 * A compiled program's command line: its options, or (for --help and misuse) the exit code the
 * program ends with at once, having printed the help or a one-sentence error and the usage.
 */
export function programOptions(name: string, argv: string[]): ProgramOptions {
  let options: ProgramOptions | 'help';
  try {
    options = parseProgramArgs(argv, process.cwd());
  } catch (error) {
    process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n${PROGRAM_USAGE}\n`);
    process.exit(2);
  }
  if (options === 'help') {
    process.stdout.write(`Trains ${name} (a TensorFlow.js program written by mlspec compile).\n\n${PROGRAM_USAGE}\n`);
    process.exit(0);
  }
  return options;
}

/**
 * A data source's config with --data's files in place of the program's (a CSV source only). A
 * relative path left in it resolves later against the program's folder (plan.dataBaseDir).
 */
export function withDataFiles<T extends DataSourceConfig>(source: T, files: Record<string, string>): T {
  const given = Object.keys(files);
  if (given.length === 0) return source;
  if (source.kind !== 'csv') {
    process.stderr.write(`--data replaces a CSV file, but this program's data is generated (${source.kind}); remove --data.\n`);
    process.exit(2);
  }
  const splitFiles = source.path === null;
  const wrong = given.filter((option) => (splitFiles ? option === 'path' : option !== 'path'));
  if (wrong.length > 0) {
    const hint = splitFiles ? 'this program reads split files: give --data train=PATH, validation=PATH or test=PATH' : 'this program reads one file: give --data PATH';
    process.stderr.write(`--data ${wrong.map((o) => (o === 'path' ? 'PATH' : `${o}=PATH`)).join(', ')} does not fit; ${hint}.\n`);
    process.exit(2);
  }
  const replaced = { ...source, ...files };
  rememberSourceAsWritten(replaced, source);
  return replaced;
}

/** Runs a compiled program's plan with its own training loop; returns the exit code. */
export async function runProgram(plan: TrainingPlan, options: ProgramOptions, loop?: TrainingLoop): Promise<number> {
  try {
    await runTraining(plan, options, loop);
    return 0;
  } catch (error) {
    const failure = describeRunFailure(error);
    process.stderr.write(formatRunFailure(failure, plan.name));
    return failure.exitCode;
  }
}
