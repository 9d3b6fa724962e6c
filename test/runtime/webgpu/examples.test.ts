/**
 * Every example trains on webgpu (SwiftShader here) and agrees with the cpu backend step by step.
 * SwiftShader runs shaders on the CPU and is slow, so each example is shrunk the same way for both
 * backends: a sample of its CSV rows or fewer generated samples, and two epochs. The model, loss,
 * optimizer, clipping, schedule and batch size are the example's own.
 *
 * Measured tolerance (docs/backends.md): GPU arithmetic may contract a*b+c into one fused
 * operation and reduces in another order, so per-step losses differ from cpu by rounding; over
 * these runs the largest relative difference seen was below 2e-5; the tests allow 1e-4.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvSample, EXAMPLES, maxRelativeDifference, SWIFTSHADER_ICD, trainOn } from './train-on.js';

const TOLERANCE = 1e-4;

interface Shrink {
  /** CSV files to sample: [path in the spec, keep every n-th row]. */
  csv?: [string, number];
  /** An image folder to sample: [path in the spec, keep every n-th file of each class]. */
  images?: [string, number];
  /** Replacements in the spec's text. */
  edits?: [RegExp, string][];
}

const EXAMPLE_SHRINKS: Record<string, Shrink> = {
  iris: { csv: ['data/iris.csv', 3] },
  residual: { csv: ['data/iris.csv', 3] },
  breast_cancer: { csv: ['data/breast_cancer.csv', 5] },
  classic: {},
  digits_cnn: { csv: ['data/digits.csv', 23] },
  sine_lstm: { edits: [[/samples: \d+/, 'samples: 120']] },
  reverse_transformer: { edits: [[/samples: \d+/, 'samples: 160']] },
  shop_mixed: { csv: ['data/shop.csv', 10] },
  digits_images: { images: ['data/digit_images', 8] },
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-webgpu-examples-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function shrunkExample(name: string): { source: string; dir: string } {
  const shrink = EXAMPLE_SHRINKS[name]!;
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir, { recursive: true });
  let source = fs.readFileSync(path.join(EXAMPLES, `${name}.mlspec`), 'utf8');
  for (const [pattern, replacement] of shrink.edits ?? []) {
    expect(source).toMatch(pattern);
    source = source.replace(pattern, replacement);
  }
  if (shrink.csv) csvSample(path.join(EXAMPLES, shrink.csv[0]), shrink.csv[1], path.join(dir, shrink.csv[0]));
  if (shrink.images) {
    const [folder, every] = shrink.images;
    for (const name of fs.readdirSync(path.join(EXAMPLES, folder))) {
      fs.mkdirSync(path.join(dir, folder, name), { recursive: true });
      fs.readdirSync(path.join(EXAMPLES, folder, name))
        .sort()
        .filter((_, i) => i % every === 0)
        .forEach((file) => fs.copyFileSync(path.join(EXAMPLES, folder, name, file), path.join(dir, folder, name, file)));
    }
  }
  return { source, dir };
}

describe('every example on webgpu (SwiftShader here; a hardware adapter where VK_ICD_FILENAMES names a GPU driver)', () => {
  it('covers every shipped example', () => {
    const shipped = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.mlspec')).map((f) => f.replace(/\.mlspec$/, ''));
    expect(Object.keys(EXAMPLE_SHRINKS).sort()).toEqual(shipped.sort());
  });

  for (const name of Object.keys(EXAMPLE_SHRINKS)) {
    it(`${name}: trains two short epochs, per-step losses and weights as on cpu, no tensor leaked`, async () => {
      const { source, dir } = shrunkExample(name);
      const cpu = await trainOn('cpu', source, dir, { epochs: 2 });
      const gpu = await trainOn('webgpu', source, dir, { epochs: 2 });
      try {
        expect(gpu.summary.backend).toBe('webgpu');
        expect(gpu.summary.adapter).toMatchObject(
          process.env.VK_ICD_FILENAMES === SWIFTSHADER_ICD ? { architecture: 'swiftshader', fallback: true } : { fallback: false },
        );
        expect(gpu.stepLosses.length).toBeGreaterThan(1);
        expect(gpu.stepLosses.every(Number.isFinite)).toBe(true);
        const lossDifference = maxRelativeDifference(gpu.stepLosses, cpu.stepLosses);
        expect(lossDifference, `per-step losses of ${name}`).toBeLessThan(TOLERANCE);
        const weightDifference = Math.max(
          ...gpu.weights.map((w, i) => maxRelativeDifference(w, cpu.weights[i]!, 1e-2)),
        );
        expect(weightDifference, `final weights of ${name}`).toBeLessThan(TOLERANCE * 10);
        // The second epoch ends with exactly the tensors the first ended with (GPU bytes settle
        // later, when every weight has been uploaded once: agreement.test.ts watches them).
        expect(gpu.tensorsAfterEpoch).toHaveLength(2);
        expect(gpu.tensorsAfterEpoch[1]).toBe(gpu.tensorsAfterEpoch[0]);
        console.log(`${name}: ${gpu.stepLosses.length} steps, max relative loss difference ${lossDifference.toExponential(2)}, weights ${weightDifference.toExponential(2)}`);
      } finally {
        cpu.cleanup();
        gpu.cleanup();
      }
    });
  }
});
