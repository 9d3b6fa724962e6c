/**
 * Trains a spec in-process on a given backend, as `mlspec run` does, and returns what the
 * agreement tests compare: the loss of every step, the final weights, and the live tensors (and
 * GPU bytes, on webgpu) at the end of every epoch.
 *
 * Importing this module points Vulkan at SwiftShader (Debian's chromium-common, which
 * scripts/install-system-deps.sh installs) unless VK_ICD_FILENAMES is already set, so that
 * Dawn finds an adapter on a machine without a GPU. It must be imported before Dawn loads.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../../src/frontend.js';
import { evaluatePlan } from '../../../src/interpret/evaluate.js';
import { lowerSpec } from '../../../src/lower/lower.js';
import type { BackendName } from '../../../src/runtime/backend.js';
import { runTraining, type RunSummary } from '../../../src/runtime/program.js';

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

if (process.env.VK_ICD_FILENAMES === undefined) {
  if (!fs.existsSync(SWIFTSHADER_ICD)) {
    throw new Error(`${SWIFTSHADER_ICD} is missing: the webgpu tests need SwiftShader; run bash scripts/install-system-deps.sh (as root).`);
  }
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

export const EXAMPLES = path.resolve(import.meta.dirname, '../../../examples');

export interface BackendRun {
  summary: RunSummary;
  stepLosses: number[];
  /** Every weight of the trained model, flattened, in the model's weight order. */
  weights: Float32Array[];
  tensorsAfterEpoch: number[];
  /** tf.memory().numBytesInGPU at the end of each epoch (webgpu only; else empty). */
  gpuBytesAfterEpoch: number[];
  /** The run folder (deleted by cleanup()). */
  out: string;
  cleanup(): void;
}

/** Trains `source` (a spec whose relative paths resolve against `dir`) on `backend`. */
export async function trainOn(backend: BackendName, source: string, dir: string, options: { epochs?: number } = {}): Promise<BackendRun> {
  const file = path.join(dir, 'spec.mlspec');
  const { ir, diagnostics } = analyze(source, file);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!ir || errors.length > 0) throw new Error(`spec has errors: ${errors.map((d) => d.message).join('; ')}`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mlspec-${backend}-`));
  const out = path.join(tmp, 'run');
  const tensorsAfterEpoch: number[] = [];
  const gpuBytesAfterEpoch: number[] = [];
  let weights: Float32Array[] = [];
  await runTraining(evaluatePlan(lowerSpec(ir, source), file), {
    backend,
    epochs: options.epochs,
    out,
    cwd: tmp,
    quiet: true,
    json: false,
    force: false,
    handleSignals: false,
    observer: {
      epochEnd: () => {
        const memory = tf.memory() as tf.MemoryInfo & { numBytesInGPU?: number };
        tensorsAfterEpoch.push(memory.numTensors);
        if (memory.numBytesInGPU !== undefined) gpuBytesAfterEpoch.push(memory.numBytesInGPU);
      },
    },
  });
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as RunSummary;
  const stepLosses = fs
    .readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"type":"step"'))
    .map((line) => (JSON.parse(line) as { loss: number }).loss);
  const saved = JSON.parse(fs.readFileSync(path.join(out, 'model', 'model.json'), 'utf8')) as {
    weightsManifest: { weights: { shape: number[] }[] }[];
  };
  const bytes = fs.readFileSync(path.join(out, 'model', 'weights.bin'));
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  let offset = 0;
  weights = saved.weightsManifest.flatMap((group) => group.weights).map((w) => {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const part = all.slice(offset, offset + size);
    offset += size;
    return part;
  });
  return { summary, stepLosses, weights, tensorsAfterEpoch, gpuBytesAfterEpoch, out, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** max over i of |a_i - b_i| / max(|b_i|, floor): the relative disagreement of two series. */
export function maxRelativeDifference(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  if (a.length !== b.length) throw new Error(`series of different lengths: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), floor));
  return worst;
}

/** Every `every`-th data row of a CSV (with its header), written to `to`: a small sample that keeps every class of a sorted file. */
export function csvSample(from: string, every: number, to: string): void {
  const [header, ...rows] = fs.readFileSync(from, 'utf8').split('\n').filter((line) => line !== '');
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.writeFileSync(to, `${[header, ...rows.filter((_, i) => i % every === 0)].join('\n')}\n`);
}
