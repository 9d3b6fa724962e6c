/**
 * `mlspec compile FILE -o OUT`: write the standalone TypeScript training program of a spec, or
 * with `--target pytorch` a PyTorch program folder (src/emit/pytorch, docs/pytorch.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { compileOutputs, type OutputFile } from '../../emit/compile.js';
import { PACKAGE_MARKER } from '../../emit/package-files.js';
import { RUNTIME_FOLDER } from '../../emit/runtime-files.js';
import { emitPytorch } from '../../emit/pytorch/emit.js';
import { formatDiagnostics } from '../../diagnostics/format.js';
import { fileErrorReason, type CliIO } from '../cli-io.js';
import { collectSets } from '../overrides.js';
import { loadSpec } from '../spec-pipeline.js';
import { MLSPEC_VERSION } from '../../version.js';

export interface CompileCommandOptions {
  out?: string;
  force?: boolean;
  target?: string;
  set?: string[];
}

export const COMPILE_TARGETS = ['typescript', 'pytorch'] as const;

export function compileCommand(file: string, options: CompileCommandOptions, io: CliIO): number {
  const target = options.target ?? 'typescript';
  if (!(COMPILE_TARGETS as readonly string[]).includes(target)) {
    io.stderr(`mlspec compile: --target must be one of ${COMPILE_TARGETS.join(', ')}, not '${target}'.\n`);
    return 2;
  }
  if (target === 'pytorch' && options.out?.endsWith('.ts')) {
    io.stderr(`mlspec compile: --target pytorch writes a folder (train.py and its support files); give -o a folder, not ${options.out}.\n`);
    return 2;
  }
  const wrongFile = target === 'typescript' ? notAProgramFile(options.out, io.cwd) : null;
  if (wrongFile !== null) {
    io.stderr(`mlspec compile: ${wrongFile}\n`);
    return 2;
  }
  const loaded = loadSpec(file, io, { sets: options.set, command: 'compile' });
  if (typeof loaded === 'number') return loaded;
  const out = options.out ?? (target === 'pytorch' ? `${loaded.plan.name}-pytorch` : loaded.plan.name);
  let files: OutputFile[];
  if (target === 'pytorch') {
    const emitted = emitPytorch(loaded.ir, loaded.plan, { specPath: file, outDir: path.resolve(io.cwd, out), version: MLSPEC_VERSION });
    if (emitted.diagnostics.length > 0) {
      io.stderr(`${formatDiagnostics(emitted.diagnostics, new Map([[file, loaded.source]]), { color: io.color })}\n`);
      return 1;
    }
    files = emitted.files;
  } else {
    files = compileOutputs(loaded.ir, loaded.plan, { specPath: file, out: path.resolve(io.cwd, out), version: MLSPEC_VERSION });
  }
  // Files already there with the same bytes are left alone (a second compile, a shared runtime copy).
  const same = (f: OutputFile) => fs.readFileSync(f.path).equals(Buffer.from(f.content));
  const existing = files.filter((f) => fs.existsSync(f.path) && (!fs.statSync(f.path).isFile() || !same(f)));
  const notOurs = existing.filter((f) => f.keepExisting && !(path.basename(f.path) === 'package.json' && fs.readFileSync(f.path, 'utf8').includes(PACKAGE_MARKER)));
  if (notOurs.length > 0) {
    io.stderr(
      `mlspec compile: ${notOurs.map((f) => path.relative(io.cwd, f.path)).join(', ')} already exists and is not mlspec's to overwrite; compile into a folder of its own with -o DIR/.\n`,
    );
    return 2;
  }
  if (existing.length > 0 && !options.force) {
    const shown = existing.slice(0, 3).map((f) => path.relative(io.cwd, f.path)).join(', ');
    const more = existing.length > 3 ? ` and ${existing.length - 3} more files` : '';
    const one = existing.length === 1;
    io.stderr(`mlspec compile: ${shown}${more} already exist${one ? 's' : ''}; pass --force to overwrite ${one ? 'it' : 'them'} or choose another -o.\n`);
    return 2; // a usage problem, as for run and predict (docs/cli.md)
  }
  const toWrite = files.filter((f) => !fs.existsSync(f.path) || existing.includes(f));
  try {
    for (const f of toWrite) {
      fs.mkdirSync(path.dirname(f.path), { recursive: true });
      fs.writeFileSync(f.path, f.content);
    }
  } catch (error) {
    io.stderr(`mlspec compile: cannot write ${out} (${fileErrorReason(error)}).\n`);
    return 1;
  }
  io.stderr(`mlspec: wrote ${describeWritten(files, target, io.cwd)}\n`);
  return 0;
}

/**
 * -o names a folder (DIR, DIR/) or the program's file (FILE.ts, FILE.mts); a name with another
 * extension (iris.js, iris.py) is most likely a file asked for in the wrong language, so it is
 * refused in words rather than made a folder. A folder of that name can still be had with a
 * trailing slash, or by creating it first.
 */
function notAProgramFile(out: string | undefined, cwd: string): string | null {
  if (out === undefined || /[\\/]$/.test(out)) return null;
  const extension = /\.[A-Za-z0-9]+$/.exec(path.basename(out))?.[0];
  if (extension === undefined || extension === '.ts' || extension === '.mts') return null;
  const resolved = path.resolve(cwd, out);
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory()) return null;
  const stem = out.slice(0, -extension.length);
  return `-o ${out} names a ${extension} file, but the program is TypeScript: give -o ${stem}.ts or -o ${stem}.mts for one file, or -o ${out}/ for a folder of that name.`;
}

/** The written files, with the runtime folder as one entry (it holds some 100 files). */
function describeWritten(files: OutputFile[], target: string, cwd: string): string {
  if (target === 'pytorch') return files.map((f) => path.relative(cwd, f.path)).join(', ');
  const runtime = files.filter((f) => f.path.split(path.sep).includes(RUNTIME_FOLDER));
  const others = files.filter((f) => !runtime.includes(f)).map((f) => path.relative(cwd, f.path));
  if (runtime.length === 0) return others.join(', ');
  const folder = path.relative(cwd, path.join(path.dirname(files[0]!.path), RUNTIME_FOLDER));
  const dir = path.relative(cwd, path.dirname(files[0]!.path));
  return `${others.join(', ')} and ${folder}/ (${runtime.length} files); run it with: ${dir ? `cd ${dir} && ` : ''}npm install && npm run train`;
}

export function registerCompileCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compile')
    .description('write a standalone TypeScript (or PyTorch) program that trains the spec exactly as `run` does')
    .argument('<file>', 'the .mlspec file')
    .option('-o, --out <path>', 'a folder for train.ts, mlspec-runtime/, package.json and its data, or a .ts or .mts file with those beside it (default <name>/)')
    .option('--target <target>', 'typescript (default), or pytorch: a folder with train.py for python3 and torchrun')
    .option('--force', 'overwrite existing files')
    .option('--set <path=value>', 'change a value of the spec, e.g. optimizer.lr=0.01 or model.dense_1.units=32 (repeatable)', collectSets, [])
    .addHelpText('after', '\nExamples:\n  $ mlspec compile examples/iris.mlspec -o iris-program/   # train.ts, mlspec-runtime/, package.json, data\n  $ mlspec compile examples/iris.mlspec -o iris.ts         # iris.ts, with mlspec-runtime/ and package.json beside it\n  $ mlspec compile examples/iris.mlspec --target pytorch -o iris-torch/')
    .action((file: string, options: CompileCommandOptions) => setExit(compileCommand(file, options, io)));
}
