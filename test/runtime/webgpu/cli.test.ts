/**
 * The webgpu backend as a user meets it, through the bin in fresh processes: a run reports its
 * adapter; a missing Vulkan driver and a software-only machine under --backend gpu are one
 * sentence each with exit 2; a model trained on webgpu predicts the same classes on wasm.
 * Needs `npm run build` (npm test runs it first) and SwiftShader (scripts/install-system-deps.sh).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SWIFTSHADER_ICD } from './train-on.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const BIN = path.join(ROOT, 'bin/mlspec.js');
const IRIS = path.join(ROOT, 'examples/iris.mlspec');
const IRIS_CSV = path.join(ROOT, 'examples/data/iris.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-webgpu-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function mlspec(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: '1', VK_ICD_FILENAMES: SWIFTSHADER_ICD, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The lines mlspec itself wrote on stderr (Dawn and the Vulkan loader print their own warnings there). */
const mlspecLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('mlspec'));

describe('mlspec run --backend webgpu', () => {
  it('trains iris on SwiftShader, names the adapter in the first line and in summary.json', () => {
    const out = path.join(tmp, 'iris-webgpu');
    const r = mlspec(['run', IRIS, '--backend', 'webgpu', '--epochs', '2', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/training iris on webgpu \(Dawn on SwiftShader driver [\d.]+ \(google swiftshader, software adapter\)\)/);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.backend).toBe('webgpu');
    expect(summary.adapter).toEqual({
      vendor: 'google',
      architecture: 'swiftshader',
      device: expect.any(String),
      description: expect.stringMatching(/^SwiftShader driver/),
      fallback: true,
    });
  });

  it('a model trained on webgpu predicts the same classes on wasm as on webgpu', () => {
    const out = path.join(tmp, 'iris-webgpu');
    const onWasm = mlspec(['predict', out, '--data', IRIS_CSV, '--backend', 'wasm']);
    const onGpu = mlspec(['predict', out, '--data', IRIS_CSV, '--backend', 'webgpu']);
    expect(onWasm.code, onWasm.stderr).toBe(0);
    expect(onGpu.code, onGpu.stderr).toBe(0);
    const classes = (csv: string) => csv.trim().split('\n').slice(1).map((line) => line.split(',')[1]);
    expect(classes(onWasm.stdout)).toHaveLength(150);
    expect(classes(onGpu.stdout)).toEqual(classes(onWasm.stdout));
  });

  it('without a loadable Vulkan driver: one sentence naming VK_ICD_FILENAMES, exit 2', () => {
    const r = mlspec(['run', IRIS, '--backend', 'webgpu', '--epochs', '1', '--out', path.join(tmp, 'no-driver')], {
      VK_ICD_FILENAMES: '/nonexistent/icd.json',
    });
    expect(r.code).toBe(2);
    const lines = mlspecLines(r.stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^mlspec: error: The webgpu backend found no GPU adapter: the Vulkan driver named by VK_ICD_FILENAMES \(\/nonexistent\/icd\.json\) did not load/);
    expect(fs.existsSync(path.join(tmp, 'no-driver', 'summary.json'))).toBe(false);
  });

  it('--backend gpu refuses a software adapter, naming --backend webgpu; auto falls back to wasm', () => {
    const gpu = mlspec(['run', IRIS, '--backend', 'gpu', '--epochs', '1', '--out', path.join(tmp, 'gpu')]);
    expect(gpu.code).toBe(2);
    expect(mlspecLines(gpu.stderr).join('\n')).toMatch(/The only WebGPU adapter is a software one, SwiftShader.*--backend webgpu/);
    const auto = mlspec(['run', IRIS, '--backend', 'auto', '--epochs', '1', '--out', path.join(tmp, 'auto'), '--json']);
    expect(auto.code, auto.stderr).toBe(0);
    expect(JSON.parse(auto.stdout.trim().split('\n').pop()!).backend).toBe('wasm');
  });
});
