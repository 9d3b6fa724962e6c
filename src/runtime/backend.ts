/**
 * Chooses the TensorFlow.js backend a run trains on.
 *
 *   wasm        @tensorflow/tfjs-backend-wasm (a dependency): XNNPACK in WebAssembly, one thread
 *               in Node; mlspec installs its kernel fixes (./kernels/) so that every layer trains.
 * On every backend, mlspec replaces tfjs's gradient of average pooling, which is wrong for windows
 * that hold padding (./kernels/avgPoolGradient.ts).
 *   cpu         plain JavaScript kernels bundled with @tensorflow/tfjs; slow, always there.
 *   tensorflow  @tensorflow/tfjs-node, the TensorFlow C library (optional, not a dependency).
 *   webgpu      @tensorflow/tfjs-backend-webgpu on Dawn (npm `webgpu`), any adapter, software included
 *               (optional, not a dependency; ./webgpu.ts).
 *   gpu         the best GPU route available: webgpu on a hardware adapter, else
 *               @tensorflow/tfjs-node-gpu (CUDA; optional, not a dependency).
 *   auto        the first of gpu, tensorflow, wasm, cpu that works (never a software GPU adapter).
 * See docs/backends.md.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { installAvgPoolGradient } from './kernels/avgPoolGradient.js';
import { installCpuKernels } from './kernels/installCpuKernels.js';
import { installWasmKernels } from './kernels/installWasmKernels.js';
import { importOptionalPackage, isPackageInstalled } from './optional-package.js';
import { describeAdapter, startWebgpu, WebgpuUnavailableError, type GpuAdapterReport } from './webgpu.js';

export type BackendName = 'auto' | 'wasm' | 'cpu' | 'tensorflow' | 'webgpu' | 'gpu';

export type ConcreteBackendName = Exclude<BackendName, 'auto'>;

export const BACKEND_NAMES: readonly BackendName[] = ['auto', 'wasm', 'cpu', 'tensorflow', 'webgpu', 'gpu'];

/** The order in which 'auto' tries backends. */
export const AUTO_BACKEND_ORDER: readonly ConcreteBackendName[] = ['gpu', 'tensorflow', 'wasm', 'cpu'];

export interface SelectedBackend {
  name: ConcreteBackendName;
  /** One line for people, e.g. "wasm (XNNPACK, SIMD, 1 thread, mlspec kernel fixes)". */
  description: string;
  /** The GPU adapter, when the backend is webgpu. */
  adapter?: GpuAdapterReport;
}

/** A backend that was asked for cannot be used; the message says why and how to fix it. */
export class BackendUnavailableError extends Error {
  readonly backend: ConcreteBackendName;

  constructor(backend: ConcreteBackendName, message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
    this.backend = backend;
  }
}

interface NodeBindingPackage {
  backend: 'tensorflow' | 'gpu';
  packageName: string;
  requirements: string;
}

const TFJS_NODE_BINDINGS: Record<'tensorflow' | 'gpu', NodeBindingPackage> = {
  tensorflow: {
    backend: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    requirements:
      'it downloads the TensorFlow C library, libtensorflow, at install time, so installing needs network access ' +
      'and Linux x64, macOS or Windows x64',
  },
  gpu: {
    backend: 'gpu',
    packageName: '@tensorflow/tfjs-node-gpu',
    requirements:
      'tfjs-node-gpu 4.22 needs Linux x64, an NVIDIA GPU with CUDA 11.2 and cuDNN 8.1 installed, ' +
      'and downloads the TensorFlow C library, libtensorflow, at install time',
  },
};

function backendInstallHint(binding: NodeBindingPackage): string {
  return `Install it with: npm install ${binding.packageName}@${tf.version['tfjs-core']} (${binding.requirements}).`;
}


/**
 * Imports tfjs-node or tfjs-node-gpu, which register the 'tensorflow' backend with tfjs-core
 * when loaded. The specifier is held in a variable on purpose: these packages are optional and
 * not installed, so TypeScript must neither resolve them nor need their types.
 */
interface NodeBindingModule {
  version?: Record<string, string>;
  /** CommonJS exports, when Node's ESM import does not expose them as named exports. */
  default?: { version?: Record<string, string> };
}

async function importNodeBinding(binding: NodeBindingPackage): Promise<NodeBindingModule> {
  if (!isPackageInstalled(binding.packageName)) {
    throw new BackendUnavailableError(
      binding.backend,
      `The '${binding.backend}' backend needs ${binding.packageName}, which is not installed. ${backendInstallHint(binding)}`,
    );
  }
  try {
    return await importOptionalPackage<NodeBindingModule>(binding.packageName);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError(
      binding.backend,
      `The '${binding.backend}' backend could not load ${binding.packageName}: ${reason}. ` +
        `Reinstall it with: npm install ${binding.packageName}@${tf.version['tfjs-core']} (${binding.requirements}).`,
    );
  }
}

async function selectNodeBinding(binding: NodeBindingPackage): Promise<SelectedBackend> {
  const loaded = await importNodeBinding(binding);
  const theirCore = (loaded.version ?? loaded.default?.version)?.['tfjs-core'];
  const ourCore = tf.version['tfjs-core'];
  // The package registers its backend with the tfjs-core it imports. If that is another copy
  // (another version, or not deduplicated), our engine never sees it.
  if (tf.findBackendFactory('tensorflow') == null || (theirCore !== undefined && theirCore !== ourCore)) {
    throw new BackendUnavailableError(
      binding.backend,
      `${binding.packageName} is installed but uses tfjs-core ${theirCore ?? 'of another copy'}, while mlspec uses ` +
        `@tensorflow/tfjs ${ourCore}; both must share one tfjs-core. ` +
        `Install the matching version: npm install ${binding.packageName}@${ourCore}.`,
    );
  }
  if (!(await tf.setBackend('tensorflow'))) {
    throw new BackendUnavailableError(
      binding.backend,
      `${binding.packageName} is installed but its TensorFlow backend failed to start (${binding.requirements}).`,
    );
  }
  await tf.ready();
  const what = binding.backend === 'gpu' ? 'TensorFlow C library with CUDA' : 'TensorFlow C library';
  return { name: binding.backend, description: `${binding.backend} (${binding.packageName}, ${what})` };
}

/**
 * MLSPEC_WASM_KERNELS=stock runs wasm with TensorFlow.js's own kernels only: for comparing
 * results and speed with mlspec's fixes (bench/run-all.mjs), or for ruling them out when a
 * result looks wrong. Convolutions and embeddings cannot train that way.
 */
function wantsStockWasmKernels(): boolean {
  return process.env.MLSPEC_WASM_KERNELS === 'stock';
}

async function selectWasmBackend(): Promise<SelectedBackend> {
  const stock = wantsStockWasmKernels();
  if (!stock) installWasmKernels();
  let started = false;
  try {
    started = await tf.setBackend('wasm');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new BackendUnavailableError('wasm', `The wasm backend failed to start: ${reason}`);
  }
  if (!started) {
    throw new BackendUnavailableError('wasm', 'The wasm backend failed to start (WebAssembly could not load tfjs-backend-wasm.wasm).');
  }
  await tf.ready();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = getThreadsCount();
  const description = `wasm (XNNPACK${simd ? ', SIMD' : ''}, ${threads} thread${threads === 1 ? '' : 's'}, ${stock ? 'stock kernels' : 'mlspec kernel fixes'})`;
  return { name: 'wasm', description };
}

async function selectCpuBackend(): Promise<SelectedBackend> {
  installCpuKernels();
  if (!(await tf.setBackend('cpu'))) {
    throw new BackendUnavailableError('cpu', 'The cpu backend of @tensorflow/tfjs failed to start.');
  }
  await tf.ready();
  return { name: 'cpu', description: 'cpu (plain JavaScript kernels of @tensorflow/tfjs)' };
}

async function selectWebgpuBackend(allowSoftware: boolean): Promise<SelectedBackend> {
  try {
    const adapter = await startWebgpu({ allowSoftware });
    return { name: 'webgpu', description: `webgpu (Dawn on ${describeAdapter(adapter)})`, adapter };
  } catch (error) {
    if (error instanceof WebgpuUnavailableError) throw new BackendUnavailableError('webgpu', error.message);
    throw error;
  }
}

/** WebGPU on a hardware adapter first, then tfjs-node-gpu; when neither works, both reasons. */
async function selectBestGpuBackend(): Promise<SelectedBackend> {
  let webgpuReason: string;
  try {
    return await selectWebgpuBackend(false);
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    webgpuReason = error.message;
  }
  try {
    return await selectNodeBinding(TFJS_NODE_BINDINGS.gpu);
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    throw new BackendUnavailableError(
      'gpu',
      `No GPU backend could start. WebGPU: ${webgpuReason} tfjs-node-gpu: ${error.message}`,
    );
  }
}

function selectConcreteBackend(name: ConcreteBackendName): Promise<SelectedBackend> {
  switch (name) {
    case 'wasm':
      return selectWasmBackend();
    case 'cpu':
      return selectCpuBackend();
    case 'tensorflow':
      return selectNodeBinding(TFJS_NODE_BINDINGS.tensorflow);
    case 'webgpu':
      return selectWebgpuBackend(true);
    case 'gpu':
      return selectBestGpuBackend();
  }
}

/**
 * Makes `name` the active tfjs backend and says which one is active. Throws
 * BackendUnavailableError when the backend asked for cannot be used; 'auto' skips those.
 */
export async function selectBackend(name: BackendName): Promise<SelectedBackend> {
  // Gradients are global in tfjs (not per backend): this fixes AvgPool's on every backend.
  installAvgPoolGradient();
  if (name !== 'auto') {
    return selectConcreteBackend(name);
  }
  const skipped: string[] = [];
  for (const candidate of AUTO_BACKEND_ORDER) {
    try {
      const selected = await selectConcreteBackend(candidate);
      const note = skipped.length === 0 ? '' : `; auto skipped ${skipped.join(', ')}`;
      return { ...selected, description: `${selected.description}${note}` };
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) {
        throw error;
      }
      skipped.push(candidate);
    }
  }
  throw new BackendUnavailableError('cpu', `No backend could start (tried ${AUTO_BACKEND_ORDER.join(', ')}).`);
}
