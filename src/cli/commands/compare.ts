/**
 * `mlspec compare RUN... | SWEEP`: the leaderboard as a text table on stdout, and compare.html
 * (src/compare/html.ts): leaderboard, settings, overlaid curves, setting-vs-score scatter plots.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { compareHtml } from '../../compare/html.js';
import { CompareUsageError, leaderboardText, loadComparison, SWEEP_FILE } from '../../compare/runs.js';
import type { CliIO } from '../cli-io.js';

export interface CompareCommandOptions {
  out?: string;
  monitor?: string;
  force?: boolean;
}

export function compareCommand(dirs: string[], options: CompareCommandOptions, io: CliIO): number {
  const resolved = dirs.map((d) => path.resolve(io.cwd, d));
  let comparison;
  try {
    comparison = loadComparison(resolved, options.monitor);
  } catch (error) {
    if (!(error instanceof CompareUsageError)) throw error;
    io.stderr(`mlspec compare: ${error.message}\n`);
    return 2;
  }
  const sweepDir = resolved.length === 1 && fs.existsSync(path.join(resolved[0]!, SWEEP_FILE)) ? resolved[0]! : null;
  const out = path.resolve(io.cwd, options.out ?? (sweepDir ? path.join(sweepDir, 'compare.html') : 'compare.html'));
  // A sweep's own compare.html is rewritten freely; any other existing file needs --force.
  if (fs.existsSync(out) && !options.force && !(sweepDir && out === path.join(sweepDir, 'compare.html'))) {
    io.stderr(`mlspec compare: ${out} already exists; choose another with --out or pass --force to overwrite it.\n`);
    return 2;
  }
  try {
    fs.writeFileSync(out, compareHtml(comparison));
  } catch (error) {
    io.stderr(`mlspec compare: cannot write ${out} (${(error as Error).message}).\n`);
    return 2;
  }
  io.stdout(leaderboardText(comparison));
  const unscored = comparison.runs.filter((r) => !r.summary).length;
  io.stderr(`mlspec compare: ${comparison.runs.length} runs ranked by ${comparison.monitor}${unscored ? ` (${unscored} unfinished, listed last)` : ''}; the report is ${out}\n`);
  return 0;
}

export function registerCompareCommand(program: Command, io: CliIO, setExit: (code: number) => void): void {
  program
    .command('compare')
    .description('compare runs or a sweep: a leaderboard on stdout and compare.html')
    .argument('<dirs...>', 'run folders, or one sweep folder')
    .option('-o, --out <file>', 'the report (default SWEEP/compare.html, or compare.html here)')
    .option('--monitor <metric>', 'rank by this metric (val_accuracy, test_loss, loss, ...)')
    .option('--force', 'overwrite an existing report')
    .addHelpText('after', '\nExamples:\n  $ mlspec compare runs/iris/sweep-2026-01-01T12-00-00\n  $ mlspec compare runs/iris/a runs/iris/b --monitor val_accuracy -o iris.html')
    .action((dirs: string[], options: CompareCommandOptions) => setExit(compareCommand(dirs, options, io)));
}
