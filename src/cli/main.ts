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
  load(): Promise<RegisterCommand>;
}

/** Every command, in the order the help lists them. Add new commands here. */
export const commands: readonly CommandEntry[] = [
  { name: 'check', load: async () => (await import('./commands/check.js')).registerCheckCommand },
  { name: 'run', load: async () => (await import('./commands/run.js')).registerRunCommand },
  { name: 'compile', load: async () => (await import('./commands/compile.js')).registerCompileCommand },
];

export const USAGE_ERROR = 2;

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  let exitCode = 0;
  const program = new Command('mlspec')
    .description('Check, train and compile .mlspec neural-network training specs.')
    .version(MLSPEC_VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      getOutHasColors: () => io.color && io.interactive,
      getErrHasColors: () => io.color,
      // Commander's messages may span lines ("(Did you mean ...?)"); keep each on one line.
      outputError: (text, write) => write(`mlspec: ${text.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim()}\n`),
    })
    .addHelpText('after', '\nExamples:\n  $ mlspec check examples/iris.mlspec\n  $ mlspec run examples/iris.mlspec\n  $ mlspec compile examples/iris.mlspec -o iris.ts');

  // Only the requested command's module is loaded; the overall help and unknown names need all of them.
  const requested = argv.find((arg) => !arg.startsWith('-'));
  const entry = commands.find((command) => command.name === requested);
  for (const command of entry ? [entry] : commands) {
    const register = await command.load();
    register(program, io, (code) => {
      exitCode = code;
    });
  }

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_ERROR;
    throw error;
  }
}
