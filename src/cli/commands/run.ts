/**
 * `mlspec run FILE`: check the spec, then train it with the runtime (src/runtime/program.ts).
 */
import * as path from 'node:path';
import type { Command } from 'commander';
import { evaluatePlan } from '../../interpret/evaluate.js';
import { BACKEND_NAMES, type BackendName } from '../../runtime/backend.js';
import { describeRunFailure, formatRunFailure } from '../../runtime/failure.js';
import { runTraining } from '../../runtime/program.js';
import type { CliIO } from '../cli-io.js';
import { collectSets } from '../overrides.js';
import { loadSpec } from '../spec-pipeline.js';

export interface RunCommandOptions {
  out?: string;
  backend: string;
  seed?: string;
  epochs?: string;
  resume?: string;
  initFrom?: string;
  force?: boolean;
  quiet?: boolean;
  json?: boolean;
  maxParams?: string;
  set?: string[];
}


function wholeNumber(flag: string, text: string | undefined, io: CliIO): number | undefined | null {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) {
    io.stderr(`mlspec run: ${flag} takes a whole number, not '${text}'.\n`);
    return null;
  }
  return Number(text);
}

export async function runCommand(file: string, options: RunCommandOptions, io: CliIO): Promise<number> {
  if (!(BACKEND_NAMES as readonly string[]).includes(options.backend)) {
    io.stderr(`mlspec run: --backend must be one of ${BACKEND_NAMES.join(', ')}, not '${options.backend}'.\n`);
    return 2;
  }
  const seed = wholeNumber('--seed', options.seed, io);
  const epochs = wholeNumber('--epochs', options.epochs, io);
  const maxParams = wholeNumber('--max-params', options.maxParams, io);
  if (seed === null || epochs === null || maxParams === null) return 2;
  const loaded = loadSpec(file, io, { maxParams, sets: options.set, command: 'run' });
  if (typeof loaded === 'number') return loaded;
  try {
    await runTraining(evaluatePlan(loaded.plan, path.resolve(io.cwd, file)), {
      out: options.out,
      backend: options.backend as BackendName,
      seed,
      epochs,
      resume: options.resume,
      initFrom: options.initFrom,
      force: options.force ?? false,
      quiet: options.quiet ?? false,
      json: options.json ?? false,
      cwd: io.cwd,
      write: io.stdout,
      note: io.stderr,
      interactive: io.interactive,
    });
    return 0;
  } catch (error) {
    const failure = describeRunFailure(error);
    io.stderr(formatRunFailure(failure, 'mlspec'));
    return failure.exitCode;
  }
}

export function registerRunCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('check a spec, then train it on TensorFlow.js')
    .argument('<file>', 'the .mlspec file')
    .option('-o, --out <dir>', 'run folder (default runs/<name>/<timestamp>)')
    .option('-b, --backend <name>', 'auto | wasm | cpu | tensorflow | webgpu | gpu', 'wasm')
    .option('--seed <n>', "override the spec's seed")
    .option('--epochs <n>', "override the spec's epochs")
    .option('--resume <dir>', 'continue the run in DIR from its checkpoint')
    .option('--init-from <dir>', 'start from the weights saved in run folder DIR')
    .option('--force', 'allow writing into a folder that already holds files')
    .option('-q, --quiet', 'print only errors')
    .option('--json', 'print the summary as JSON on stdout')
    .option('--set <path=value>', 'change a value of the spec, e.g. optimizer.lr=0.01 or model.dense_1.units=32 (repeatable)', collectSets, [])
    .option('--max-params <n>', 'largest model allowed, in parameters (default 100000000)')
    .addHelpText('after', '\nExamples:\n  $ mlspec run examples/classic.mlspec\n  $ mlspec run examples/iris.mlspec --backend cpu --epochs 5 --out runs/iris-try\n  $ mlspec run examples/iris.mlspec --resume runs/iris-try --epochs 50')
    .action(async (file: string, options: RunCommandOptions) => setExit(await runCommand(file, options, io)));
}
