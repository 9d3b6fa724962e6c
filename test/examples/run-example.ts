/**
 * Runs a shipped example through the real pipeline in-process, as `mlspec run` does: read the
 * spec, analyze, lower, evaluate the plan, train on the wasm backend into a temporary folder.
 * Also counts the live tensors at the end of every epoch, so a test can show that training
 * leaks none.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { runTraining, type RunSummary } from '../../src/runtime/program.js';

const EXAMPLES = path.resolve(import.meta.dirname, '../../examples');

export interface ExampleRun {
  /** summary.json as written to the run folder. */
  summary: RunSummary;
  /** The spec's leading comment lines, without the '# '. */
  header: string;
  /** Loss of every optimizer step, in order (from metrics.jsonl). */
  stepLosses: number[];
  /** tf.memory().numTensors at the end of each epoch. */
  tensorsAfterEpoch: number[];
  seconds: number;
}

/** The leading comment block of a spec, joined into one line. */
export function headerComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split('\n')) {
    if (!line.startsWith('#')) break;
    lines.push(line.replace(/^#\s?/, ''));
  }
  return lines.join(' ');
}

export async function runExample(name: string, options: { epochs?: number } = {}): Promise<ExampleRun> {
  const file = path.join(EXAMPLES, `${name}.mlspec`);
  const source = fs.readFileSync(file, 'utf8');
  const { ir, diagnostics } = analyze(source, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ir || errors.length > 0) throw new Error(`${name}.mlspec has errors: ${errors.map((d) => d.message).join('; ')}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mlspec-example-${name}-`));
  const out = path.join(tmp, 'run');
  const tensorsAfterEpoch: number[] = [];
  const started = Date.now();
  try {
    await runTraining(evaluatePlan(lowerSpec(ir, source), file), {
      backend: 'wasm',
      epochs: options.epochs,
      out,
      cwd: tmp,
      quiet: true,
      json: false,
      force: false,
      handleSignals: false,
      observer: { epochEnd: () => tensorsAfterEpoch.push(tf.memory().numTensors) },
    });
    const seconds = (Date.now() - started) / 1000;
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
    const stepLosses = fs
      .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.includes('"type":"step"'))
      .map((line) => (JSON.parse(line) as { loss: number }).loss);
    return { summary, header: headerComment(source), stepLosses, tensorsAfterEpoch, seconds };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
