/**
 * Shared by the PyTorch target's tests: build a spec through the real front end, train it with
 * mlspec's runtime in this process (the cpu backend), compile it to a PyTorch program folder, and
 * run many such programs in one Python process (Debian's python3-torch at /usr/bin/python3).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emitPytorch } from '../../src/emit/pytorch/emit.js';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import type { SpecIR } from '../../src/ir/types.js';
import { lowerSpec } from '../../src/lower/lower.js';
import type { PlanDescription } from '../../src/lower/plan-description.js';
import { runTraining } from '../../src/runtime/program.js';

/** The interpreter with torch (the python3 first on PATH may be another one). */
export const PYTHON = '/usr/bin/python3';

export interface BuiltSpec {
  specFile: string;
  ir: SpecIR;
  plan: PlanDescription;
}

export function buildSpec(dir: string, name: string, source: string): BuiltSpec {
  fs.mkdirSync(dir, { recursive: true });
  const specFile = path.join(dir, `${name}.mlspec`);
  fs.writeFileSync(specFile, source);
  const { ir, diagnostics } = analyze(source, specFile);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ir || errors.length > 0) throw new Error(`${name} has errors: ${errors.map((d) => d.message).join(' ')}`);
  return { specFile, ir, plan: lowerSpec(ir, source) };
}

/** `mlspec run --backend cpu` in this process; returns the run folder. */
export async function runTfjs(spec: BuiltSpec, out: string, options: { epochs?: number; initFrom?: string; resume?: boolean } = {}): Promise<string> {
  await runTraining(evaluatePlan(spec.plan, spec.specFile), {
    out: options.resume ? undefined : out,
    resume: options.resume ? out : undefined,
    backend: 'cpu',
    quiet: true,
    json: false,
    force: true,
    cwd: path.dirname(spec.specFile),
    handleSignals: false,
    epochs: options.epochs,
    initFrom: options.initFrom,
  });
  return out;
}

/** `mlspec compile --target pytorch -o dir`; returns dir. */
export function compileTorch(spec: BuiltSpec, dir: string): string {
  const { files, diagnostics } = emitPytorch(spec.ir, spec.plan, { specPath: spec.specFile, outDir: dir, version: 'test' });
  if (diagnostics.length > 0) throw new Error(diagnostics.map((d) => d.message).join(' '));
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content);
  }
  return dir;
}

const DRIVER = `
import importlib.util, json, os, sys, traceback
jobs = json.load(open(sys.argv[1]))
results = []
for i, job in enumerate(jobs):
    sys.path.insert(0, job["dir"])
    try:
        spec = importlib.util.spec_from_file_location(f"mlspec_program_{i}", os.path.join(job["dir"], "train.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        results.append(module.rt.main(module.SPEC, module.Model, job["args"]))
    except Exception:
        results.append(traceback.format_exc())
    sys.path.pop(0)
print(json.dumps(results))
`;

/** Runs each program folder's train.py with its arguments, all in one Python process; returns each exit code (or traceback). */
export function runTorchPrograms(work: string, jobs: { dir: string; args: string[] }[]): (number | string)[] {
  const driver = path.join(work, 'driver.py');
  const jobsFile = path.join(work, 'jobs.json');
  fs.writeFileSync(driver, DRIVER);
  fs.writeFileSync(jobsFile, JSON.stringify(jobs));
  const result = spawnSync(PYTHON, [driver, jobsFile], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  if (result.status !== 0) throw new Error(`python failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as (number | string)[];
}

export interface StepRecord {
  step: number;
  loss: number;
  lr: number;
}

export function stepRecords(runDir: string): StepRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string } & StepRecord)
    .filter((r) => r.type === 'step');
}

/** The epoch lines of a run's metrics.jsonl, without their wall times. */
export function epochRecords(runDir: string): Record<string, number>[] {
  return fs
    .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string>)
    .filter((r) => r.type === 'epoch')
    .map(({ type: _type, time_s: _time, ...rest }) => rest as Record<string, number>);
}

/** The largest |a - b| / max(|a|, |b|, tiny) over paired steps. */
export function maxRelativeDifference(a: readonly number[], b: readonly number[]): number {
  let worst = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    const scale = Math.max(Math.abs(x), Math.abs(y), 1e-12);
    worst = Math.max(worst, Math.abs(x - y) / scale);
  });
  return worst;
}
