/**
 * The mlspec command line. Each command lives in its own file under commands/ and exports a
 * `register...Command(program, io, setExit)` function; the list below names them. A command's
 * module is imported only when that command runs (or for the overall help), so `mlspec check`
 * never loads TensorFlow.js.
 *
 * main() never exits the process: it returns the exit code (0 ok, 1 problems found, 2 usage
 * error or unreadable file; commands may define others) and bin/mlspec.js sets it.
 */
import { Command, CommanderError } from 'commander';
import { MLSPEC_VERSION } from '../version.js';
import { processIO, type CliIO } from './cli-io.js';

export type RegisterCommand = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

export interface CommandEntry {
  name: string;
  /** One line for the overall help, which lists the commands without loading them. */
  summary: string;
  /** Imports the command's module and returns its register function. */
  load(): Promise<RegisterCommand>;
}

/** Every command, in the order the help lists them. Add new commands here. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'check',
    summary: 'report every problem in one or more specs, without training',
    load: async () => (await import('./commands/check.js')).registerCheckCommand,
  },
  {
    name: 'run',
    summary: 'check a spec, then train it on TensorFlow.js',
    load: async () => (await import('./commands/run.js')).registerRunCommand,
  },
  {
    name: 'compile',
    summary: 'write a standalone TypeScript program that trains the spec exactly as `run` does',
    load: async () => (await import('./commands/compile.js')).registerCompileCommand,
  },
  {
    name: 'plan',
    summary: 'show what a run would do (model, split sizes, steps, learning-rate schedule, files), without training',
    load: async () => (await import('./commands/plan.js')).registerPlanCommand,
  },
  {
    name: 'sweep',
    summary: 'train a spec with many settings (grid or random search), trials in parallel worker processes',
    load: async () => (await import('./commands/sweep.js')).registerSweepCommand,
  },
  {
    name: 'compare',
    summary: 'compare runs or a sweep: a leaderboard on stdout and compare.html',
    load: async () => (await import('./commands/compare.js')).registerCompareCommand,
  },
  {
    name: 'fmt',
    summary: 'rewrite specs in the canonical layout, keeping comments',
    load: async () => (await import('./commands/fmt.js')).registerFmtCommand,
  },
  {
    name: 'evaluate',
    summary: "loss and metrics of a trained run's model on new CSV data",
    load: async () => (await import('./commands/evaluate.js')).registerEvaluateCommand,
  },
  {
    name: 'lsp',
    summary: 'run the language server for editors (diagnostics, completion, hover, quick fixes, rename, formatting)',
    load: async () => (await import('./commands/lsp.js')).registerLspCommand,
  },
  {
    name: 'predict',
    summary: "a trained run's predictions for the rows of a CSV file, as CSV",
    load: async () => (await import('./commands/predict.js')).registerPredictCommand,
  },
];

export const USAGE_ERROR = 2;

/**
 * Runs the CLI on `argv` (without the node and script paths). Without `io` it is the real
 * process (bin/mlspec.js) writing to stdout/stderr; tests pass an io to capture the output.
 */
export async function main(argv: string[], io?: CliIO): Promise<number> {
  const cli: CliIO = io ?? processIO();
  let exitCode = 0;
  const program = new Command('mlspec')
    .description('Check, train and compile .mlspec neural-network training specs.')
    .version(MLSPEC_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: cli.stdout,
      writeErr: cli.stderr,
      // Help goes to stdout: colours only when stdout itself is a terminal (cli.interactive is stderr's).
      getOutHasColors: () => cli.color && (io === undefined ? Boolean(process.stdout.isTTY) : cli.interactive),
      getErrHasColors: () => cli.color,
      // Commander's messages may span lines ("(Did you mean ...?)"); keep each on one line.
      outputError: (text, write) => write(`mlspec: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`),
    })
    .addHelpText('after', '\nExamples:\n  $ mlspec check examples/iris.mlspec\n  $ mlspec run examples/iris.mlspec\n  $ mlspec compile examples/iris.mlspec -o iris.ts');

  // Only the requested command's module is loaded (`mlspec help run` counts as requesting run).
  // Otherwise the commands are listed by name and summary, for the overall help and for
  // "Did you mean ...?", without loading any of them.
  const positional = argv.filter((arg) => !arg.startsWith('-'));
  const requested = positional[0] === 'help' ? positional[1] : positional[0];
  const entry = commands.find((command) => command.name === requested);
  if (entry) {
    const register = await entry.load();
    register(program, cli, (code) => {
      exitCode = code;
    });
  } else {
    for (const command of commands) program.command(command.name).description(command.summary).helpOption(false).allowUnknownOption();
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_ERROR;
    throw error;
  }
}
