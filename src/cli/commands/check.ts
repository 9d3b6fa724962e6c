/**
 * `mlspec check FILE...`: report every problem of each spec without running anything.
 * Diagnostics go to stderr as text, or to stdout as one JSON array with --format json;
 * --summary prints each model's layers, shapes and parameter counts to stdout.
 */
import type { Command } from 'commander';
import { hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { diagnosticsToJson, formatDiagnostics } from '../../diagnostics/format.js';
import { analyze } from '../../frontend.js';
import { modelSummary } from '../../ir/summary.js';
import type { CliIO } from '../cli-io.js';
import { readSpec } from '../spec-pipeline.js';
import { collectSets, withOverrides } from '../overrides.js';

export interface CheckCommandOptions {
  format: string;
  summary?: boolean;
  maxParams?: string;
  set?: string[];
}

const USAGE_ERROR = 2;

export function checkCommand(files: readonly string[], options: CheckCommandOptions, io: CliIO): number {
  const usage = (message: string): number => {
    io.stderr(`mlspec check: ${message}\n`);
    return USAGE_ERROR;
  };
  if (options.format !== 'text' && options.format !== 'json') return usage(`--format must be text or json, not '${options.format}'.`);
  if (options.summary && options.format === 'json') return usage('--summary prints text; it cannot be combined with --format json.');
  let maxParams: number | undefined;
  if (options.maxParams !== undefined) {
    if (!/^\d+$/.test(options.maxParams) || Number(options.maxParams) < 1) return usage(`--max-params takes a whole number of parameters, not '${options.maxParams}'.`);
    maxParams = Number(options.maxParams);
  }

  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  const summaries: string[] = [];
  let unreadable = false;
  for (const file of files) {
    const source = readSource(file, io);
    if (source === null) {
      unreadable = true;
      continue;
    }
    const effective = withOverrides(source, options.set, io, 'check');
    if (typeof effective === 'number') return effective;
    sources.set(file, effective);
    const result = analyze(effective, file, { maxParams });
    diagnostics.push(...result.diagnostics);
    if (options.summary && result.ir) summaries.push(files.length > 1 ? `${file}\n${modelSummary(result.ir)}` : modelSummary(result.ir));
  }

  if (options.format === 'json') {
    io.stdout(`${diagnosticsToJson(diagnostics)}\n`);
  } else {
    if (diagnostics.length > 0) io.stderr(`${formatDiagnostics(diagnostics, sources, { color: io.color })}\n\n`);
    if (sources.size > 0) io.stderr(`${tally(sources.size, diagnostics)}\n`);
  }
  for (const summary of summaries) io.stdout(`${summary}\n`);
  if (unreadable) return USAGE_ERROR;
  return hasErrors(diagnostics) ? 1 : 0;
}

function readSource(file: string, io: CliIO): string | null {
  return readSpec(file, io, 'mlspec check');
}

/** "Checked 2 files: 1 error, 2 warnings." */
function tally(fileCount: number, diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Diagnostic['severity'], noun: string): string | null => {
    const n = diagnostics.filter((d) => d.severity === severity).length;
    return n === 0 ? null : `${n} ${noun}${n === 1 ? '' : 's'}`;
  };
  const parts = [count('error', 'error'), count('warning', 'warning'), count('info', 'note')].filter((p) => p !== null);
  const files = `${fileCount} file${fileCount === 1 ? '' : 's'}`;
  return `Checked ${files}: ${parts.length === 0 ? 'no problems' : parts.join(', ')}.`;
}

export function registerCheckCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('check')
    .description('report every problem in one or more specs, without training')
    .argument('<files...>', 'the .mlspec files')
    .option('-f, --format <format>', 'text (on stderr) or json (an array on stdout)', 'text')
    .option('-s, --summary', "print each model's layers, output shapes and parameter counts")
    .option('--max-params <n>', 'largest model allowed, in parameters (default 100000000)')
    .option('--set <path=value>', 'change a value of the spec, e.g. optimizer.lr=0.01 or model.dense_1.units=32 (repeatable)', collectSets, [])
    .addHelpText(
      'after',
      '\nExit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error or unreadable file.\n\nExamples:\n  $ mlspec check examples/iris.mlspec\n  $ mlspec check examples/*.mlspec --format json\n  $ mlspec check examples/digits_cnn.mlspec --summary',
    )
    .action((files: string[], options: CheckCommandOptions) => setExit(checkCommand(files, options, io)));
}
