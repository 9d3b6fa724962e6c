import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { AUTO_BACKEND_ORDER, BackendUnavailableError, selectBackend } from '../../src/runtime/backend.js';
import { wasmKernelsInstalled } from '../../src/runtime/kernels/installWasmKernels.js';

/** Whether an optional package can be found from this project (they are not installed here). */
function installed(packageName: string): boolean {
  try {
    createRequire(import.meta.url).resolve(packageName);
    return true;
  } catch {
    return false;
  }
}

describe('selectBackend', () => {
  it("'cpu' activates tfjs's cpu backend", async () => {
    const selected = await selectBackend('cpu');
    expect(selected.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(selected.description).toMatch(/^cpu/);
  });

  it("'wasm' activates the wasm backend with mlspec's kernel fixes", async () => {
    const selected = await selectBackend('wasm');
    expect(selected.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmKernelsInstalled()).toBe(true);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    expect(tf.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(selected.description).toMatch(/^wasm \(XNNPACK.*\d+ threads?, mlspec kernel fixes\)$/);
    // Selecting it again keeps working (installation is idempotent).
    await selectBackend('wasm');
    const sum = tf.tidy(() => tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3]), tf.tensor1d([0, 0, 1], 'int32'), 2).arraySync());
    expect(sum).toEqual([3, 3]);
  });

  const optional: Array<['tensorflow' | 'gpu', string, RegExp]> = [
    ['tensorflow', '@tensorflow/tfjs-node', /libtensorflow/],
    ['gpu', '@tensorflow/tfjs-node-gpu', /CUDA 11\.2 and cuDNN 8\.1/],
  ];
  for (const [name, packageName, requirement] of optional) {
    it(`'${name}' throws BackendUnavailableError naming the install command when ${packageName} is missing`, async () => {
      if (installed(packageName)) {
        // Not the case in this project; if someone installs it, selecting must work instead.
        const selected = await selectBackend(name);
        expect(selected.name).toBe(name);
        return;
      }
      const failure = await selectBackend(name).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(BackendUnavailableError);
      const error = failure as BackendUnavailableError;
      expect(error.backend).toBe(name);
      expect(error.message).toContain(`npm install ${packageName}@4.22.0`);
      expect(error.message).toContain('not installed');
      expect(error.message).toMatch(requirement);
    });
  }

  it("'auto' tries gpu, tensorflow, wasm, cpu and falls back to wasm here", async () => {
    expect(AUTO_BACKEND_ORDER).toEqual(['gpu', 'tensorflow', 'wasm', 'cpu']);
    const expected = installed('@tensorflow/tfjs-node-gpu') ? 'gpu' : installed('@tensorflow/tfjs-node') ? 'tensorflow' : 'wasm';
    const selected = await selectBackend('auto');
    expect(selected.name).toBe(expected);
    expect(tf.getBackend()).toBe(expected === 'wasm' ? 'wasm' : 'tensorflow');
    if (expected === 'wasm') {
      expect(selected.description).toContain('auto skipped gpu, tensorflow');
    }
  });
});
