/**
 * The WebGPU backend in Node: Dawn from the npm package `webgpu` (its native library ships
 * inside the package) under `@tensorflow/tfjs-backend-webgpu`. Both are optional: mlspec does
 * not depend on them, so `npm install` stays small for people without a GPU.
 *
 * Dawn talks to the GPU through Vulkan on Linux, so it needs the Vulkan loader (libvulkan1) and
 * the GPU's Vulkan driver; no CUDA version is pinned. Without a GPU, SwiftShader (the software
 * Vulkan driver inside Debian's chromium-common) gives an adapter for correctness tests.
 * Software adapters are used only when asked for by name (`--backend webgpu`), never by
 * `--backend gpu` or `auto`. See docs/backends.md.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { importOptionalPackage, isPackageInstalled } from './optional-package.js';

/** The adapter a run trained on, as recorded in summary.json. */
export interface GpuAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A software adapter (SwiftShader, llvmpipe): correct but slow, for tests. */
  fallback: boolean;
}

/** Why the webgpu backend cannot start; the message says what to install or set. */
export class WebgpuUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebgpuUnavailableError';
  }
}

export const WEBGPU_PACKAGES = ['webgpu@0.6.2', `@tensorflow/tfjs-backend-webgpu@${tf.version['tfjs-core']}`] as const;

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

const VULKAN_LOADER_PATHS = [
  '/usr/lib/x86_64-linux-gnu/libvulkan.so.1',
  '/usr/lib/aarch64-linux-gnu/libvulkan.so.1',
  '/usr/lib64/libvulkan.so.1',
  '/usr/lib/libvulkan.so.1',
];

interface GpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface GpuAdapterLike {
  info?: GpuAdapterInfoLike;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfoLike>;
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

interface WebgpuModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

function installHint(): string {
  return `npm install ${WEBGPU_PACKAGES.join(' ')}`;
}

/** One sentence on the Vulkan driver that is missing, for a machine where Dawn found no adapter. */
export function noAdapterMessage(env: NodeJS.ProcessEnv = process.env, exists: (file: string) => boolean = fs.existsSync): string {
  const head = 'The webgpu backend found no GPU adapter';
  if (!VULKAN_LOADER_PATHS.some(exists)) {
    return (
      `${head}: the Vulkan loader libvulkan.so.1 is not installed (Debian/Ubuntu: apt-get install libvulkan1), ` +
      `and Dawn also needs your GPU's Vulkan driver (NVIDIA's driver, or mesa-vulkan-drivers for AMD and Intel).`
    );
  }
  const icd = env.VK_ICD_FILENAMES ?? env.VK_DRIVER_FILES;
  if (icd) {
    return `${head}: the Vulkan driver named by VK_ICD_FILENAMES (${icd}) did not load; check that the file exists and names a driver for this machine.`;
  }
  const softwareHint = exists(SWIFTSHADER_ICD)
    ? `to test without a GPU, point Vulkan at SwiftShader: export VK_ICD_FILENAMES=${SWIFTSHADER_ICD}`
    : 'to test without a GPU, install SwiftShader (apt-get install chromium-common) and export VK_ICD_FILENAMES=' + SWIFTSHADER_ICD;
  return (
    `${head}: no Vulkan driver for a GPU is installed (NVIDIA: the NVIDIA driver with its Vulkan ICD; AMD and Intel: apt-get install mesa-vulkan-drivers; ` +
    `Debian's lavapipe is refused by Dawn); ${softwareHint}.`
  );
}

/** Whether an adapter is a software rasteriser rather than a GPU. */
export function isSoftwareAdapter(info: GpuAdapterInfoLike, fallbackFlag: boolean): boolean {
  const text = `${info.architecture ?? ''} ${info.description ?? ''} ${info.device ?? ''}`;
  return fallbackFlag || /swiftshader|llvmpipe|lavapipe|software/i.test(text);
}

/** "SwiftShader driver 5.0.0 (google swiftshader, software adapter)". */
export function describeAdapter(adapter: GpuAdapterReport): string {
  const name = adapter.description || adapter.device || 'unnamed adapter';
  const what = [adapter.vendor, adapter.architecture].filter((s) => s !== '').join(' ');
  const parts = [what, adapter.fallback ? 'software adapter' : ''].filter((s) => s !== '');
  return parts.length === 0 ? name : `${name} (${parts.join(', ')})`;
}

/**
 * Asks Dawn for an adapter in a short child process, so that what Dawn and the Vulkan loader
 * print while they look (warnings about drivers they refuse, with C++ source locations that read
 * like a stack trace) stays out of the user's terminal. Returns null when there is no adapter.
 */
function probeAdapterQuietly(): { info: GpuAdapterInfoLike; fallback: boolean } | null | 'failed' {
  const webgpuEntry = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  const script = `
    if (process.env.XDG_RUNTIME_DIR === undefined) process.env.XDG_RUNTIME_DIR = require('node:os').tmpdir();
    import(${JSON.stringify(webgpuEntry)}).then(async (m) => {
      const { create } = typeof m.create === 'function' ? m : m.default;
      const adapter = await create([]).requestAdapter({ powerPreference: 'high-performance' });
      const info = adapter ? (adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {}) : null;
      const plain = info && { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
      process.stdout.write('\\nMLSPEC-ADAPTER ' + JSON.stringify(info ? { info: plain, fallback: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) } : null) + '\\n');
      process.exit(0);
    });`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const line = result.stdout?.split('\n').find((l) => l.startsWith('MLSPEC-ADAPTER '));
  if (result.status !== 0 || line === undefined) return 'failed';
  return JSON.parse(line.slice('MLSPEC-ADAPTER '.length)) as { info: GpuAdapterInfoLike; fallback: boolean } | null;
}

function adapterReport(info: GpuAdapterInfoLike, fallbackFlag: boolean): GpuAdapterReport {
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    fallback: isSoftwareAdapter(info, fallbackFlag),
  };
}

function softwareOnlyMessage(report: GpuAdapterReport): string {
  return `The only WebGPU adapter is a software one, ${describeAdapter(report)}, which is slower than wasm; install your GPU's Vulkan driver, or ask for it by name with --backend webgpu (for tests).`;
}

let gpuInstance: GpuLike | null = null;

/** Loads Dawn once per process and exposes it as navigator.gpu, where tfjs-backend-webgpu looks for it. */
async function dawn(): Promise<GpuLike> {
  if (gpuInstance) return gpuInstance;
  // An ES module namespace, or its CommonJS exports under `default`.
  const loaded = await importOptionalPackage<Partial<WebgpuModule> & { default?: WebgpuModule }>('webgpu');
  const { create, globals } = (typeof loaded.create === 'function' ? loaded : loaded.default) as WebgpuModule;
  // Vulkan drivers' window-system code looks for a Wayland socket in XDG_RUNTIME_DIR and prints
  // "XDG_RUNTIME_DIR is invalid" twice on stderr when it is unset (as in services and containers);
  // mlspec draws nothing on screen, so any existing folder silences it.
  if (process.env.XDG_RUNTIME_DIR === undefined) process.env.XDG_RUNTIME_DIR = os.tmpdir();
  for (const [name, value] of Object.entries(globals)) {
    if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  }
  const gpu = create([]);
  const scope = globalThis as { navigator?: { gpu?: unknown } };
  if (scope.navigator === undefined) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else if (scope.navigator.gpu !== gpu) {
    Object.defineProperty(scope.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  }
  gpuInstance = gpu;
  return gpu;
}

/**
 * Makes 'webgpu' the active tfjs backend. With allowSoftware false, a software adapter is
 * refused (the caller falls back to another backend). Throws WebgpuUnavailableError with one
 * sentence when the packages, the driver or the adapter are missing.
 */
export async function startWebgpu(options: {
  allowSoftware: boolean;
  /** Whether Node can find a package (replaceable in tests). */
  installed?: (packageName: string) => boolean;
}): Promise<GpuAdapterReport> {
  const missing = ['webgpu', '@tensorflow/tfjs-backend-webgpu'].filter((name) => !(options.installed ?? isPackageInstalled)(name));
  if (missing.length > 0) {
    throw new WebgpuUnavailableError(
      `The webgpu backend needs the npm package${missing.length === 1 ? '' : 's'} ${missing.join(' and ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed; ` +
        `install them with: ${installHint()} (about 130 MB with Dawn's native library; nothing is downloaded at install).`,
    );
  }
  // Look before loading Dawn here: a machine without an adapter (or, for --backend gpu and auto,
  // with only a software one) gets one sentence and no driver chatter.
  const probed = probeAdapterQuietly();
  if (probed === null) throw new WebgpuUnavailableError(noAdapterMessage());
  if (probed !== 'failed') {
    const report = adapterReport(probed.info, probed.fallback);
    if (report.fallback && !options.allowSoftware) throw new WebgpuUnavailableError(softwareOnlyMessage(report));
  }
  let gpu: GpuLike;
  try {
    gpu = await dawn();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebgpuUnavailableError(`The webgpu backend could not load Dawn from the npm package webgpu (${reason}); reinstall it with: ${installHint()}.`);
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (adapter === null) throw new WebgpuUnavailableError(noAdapterMessage());
  const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
  const report = adapterReport(info, Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter));
  if (report.fallback && !options.allowSoftware) throw new WebgpuUnavailableError(softwareOnlyMessage(report));
  if (tf.findBackendFactory('webgpu') == null) {
    await importOptionalPackage<unknown>('@tensorflow/tfjs-backend-webgpu');
    if (tf.findBackendFactory('webgpu') == null) {
      throw new WebgpuUnavailableError(
        `@tensorflow/tfjs-backend-webgpu is installed but registered its backend with another copy of tfjs-core; install the version matching @tensorflow/tfjs ${tf.version['tfjs-core']}: ${installHint()}.`,
      );
    }
  }
  let started = false;
  try {
    started = await tf.setBackend('webgpu');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebgpuUnavailableError(`The webgpu backend failed to start on ${describeAdapter(report)}: ${reason}.`);
  }
  if (!started) throw new WebgpuUnavailableError(`The webgpu backend failed to start on ${describeAdapter(report)}.`);
  await tf.ready();
  return report;
}
