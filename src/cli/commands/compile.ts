/**
 * `mlspec compile FILE -o OUT`: write the standalone TypeScript training program of a spec.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { compileOutputs } from '../../emit/compile.js';
import { fileErrorReason, type CliIO } from '../cli-io.js';
import { loadSpec } from '../spec-pipeline.js';
import { MLSPEC_VERSION } from '../../version.js';

export interface CompileCommandOptions {
  out?: string;
  force?: boolean;
}

export function compileCommand(file: string, options: CompileCommandOptions, io: CliIO): number {
  const loaded = loadSpec(file, io);
  if (typeof loaded === 'number') return loaded;
  const out = options.out ?? `${loaded.plan.name}.ts`;
  const files = compileOutputs(loaded.ir, loaded.plan, { specPath: file, out: path.resolve(io.cwd, out), version: MLSPEC_VERSION });
  const existing = files.filter((f) => fs.existsSync(f.path));
  if (existing.length > 0 && !options.force) {
    io.stderr(`mlspec compile: ${existing.map((f) => path.relative(io.cwd, f.path)).join(', ')} already exists; pass --force to overwrite it or choose another -o.\n`);
    return 2; // a usage problem, as for run and predict (docs/cli.md)
  }
  try {
    for (const f of files) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content);
    }
  } catch (error) {
    io.stderr(`mlspec compile: cannot write ${out} (${fileErrorReason(error)}).\n`);
    return 1;
  }
  io.stderr(`mlspec: wrote ${files.map((f) => path.relative(io.cwd, f.path)).join(', ')}\n`);
  return 0;
}

export function registerCompileCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compile')
    .description('write a standalone TypeScript program that trains the spec exactly as `run` does')
    .argument('<file>', 'the .mlspec file')
    .option('-o, --out <path>', 'a .ts file, or a folder for train.ts and package.json (default <name>.ts)')
    .option('--force', 'overwrite existing files')
    .addHelpText('after', '\nExamples:\n  $ mlspec compile examples/iris.mlspec -o iris.ts\n  $ mlspec compile examples/iris.mlspec -o iris-program/   # train.ts + package.json')
    .action((file: string, options: CompileCommandOptions) => setExit(compileCommand(file, options, io)));
}
