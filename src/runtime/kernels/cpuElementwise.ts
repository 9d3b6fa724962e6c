/**
 * The cpu backend's kernel for an ElementwiseProgram (see elementwiseProgram.ts): one loop per
 * operation over plain Float32Arrays, with the intermediate arrays kept and reused between
 * calls. Op by op, tfjs's cpu backend allocates a fresh array for every operation of every
 * update (Adam: 14 per variable and step), and first touching fresh memory is what made the
 * update a quarter of an MLP step there. Each result is stored into a Float32Array, exactly as
 * the cpu backend's own kernels store theirs, so the bits are the same.
 */
import * as tf from '@tensorflow/tfjs';
import { validateElementwiseProgram, type ElementwiseKernelAttrs, type ElementwiseOp } from './elementwiseProgram.js';

/** The parts of tfjs's MathBackendCPU used here (typed structurally, as in wasmHeap.ts). */
interface CpuValuesBackend {
  readSync(dataId: object): unknown;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: tf.backend_util.BackendValues): tf.TensorInfo;
}

function asCpuValuesBackend(backend: unknown): CpuValuesBackend {
  const candidate = backend as Partial<CpuValuesBackend> | null;
  if (candidate == null || typeof candidate.readSync !== 'function' || typeof candidate.makeTensorInfo !== 'function') {
    throw new Error('mlspec cpu kernels: expected the cpu backend of @tensorflow/tfjs 4.22');
  }
  return candidate as CpuValuesBackend;
}

/**
 * out[i] = op(a[i], b[i]) for i < n. A scalar operand is a one-element array read through the
 * index mask 0 (i & 0 = 0), so one loop serves scalars and arrays alike.
 */
function runCpuElementwiseOp(op: ElementwiseOp, a: Float32Array, b: Float32Array, out: Float32Array, n: number): void {
  const ma = a.length === 1 ? 0 : -1;
  const mb = b.length === 1 ? 0 : -1;
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++) out[i] = a[i & ma]! + b[i & mb]!;
      return;
    case 'sub':
      for (let i = 0; i < n; i++) out[i] = a[i & ma]! - b[i & mb]!;
      return;
    case 'mul':
      for (let i = 0; i < n; i++) out[i] = a[i & ma]! * b[i & mb]!;
      return;
    case 'div':
      for (let i = 0; i < n; i++) out[i] = a[i & ma]! / b[i & mb]!;
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(a[i & ma]!);
      return;
    case 'square':
      for (let i = 0; i < n; i++) {
        const x = a[i & ma]!;
        out[i] = x * x;
      }
      return;
  }
}

export function createCpuElementwiseKernel(): tf.KernelFunc {
  // Intermediate arrays, reused within a call once their value is dead and from call to call
  // (so an update holds a few arrays of the largest variable's size, not one per operation).
  const pool: Float32Array[] = [];

  return (args) => {
    const backend = asCpuValuesBackend(args.backend);
    const { program, params } = args.attrs as unknown as ElementwiseKernelAttrs;
    validateElementwiseProgram(program);
    if (params.length !== program.params) {
      throw new Error(`mlspec cpu kernels: the elementwise program takes ${program.params} parameters, got ${params.length}`);
    }
    const inputs = Array.from({ length: program.inputs }, (_, k) => args.inputs[`x${k}`]);
    const shape = inputs[0]?.shape ?? [];
    for (const input of inputs) {
      if (input == null || input.dtype !== 'float32' || !tf.util.arraysEqual(input.shape, shape)) {
        throw new Error('mlspec cpu kernels: an elementwise program needs float32 inputs of one shape');
      }
    }
    const n = tf.util.sizeFromShape(shape);
    const firstNode = program.inputs + program.params;
    const outputNodes = new Set(program.outputs.filter((v) => v >= firstNode));
    // The last node that reads each value (outputs are read after every node).
    const lastUse = new Map<number, number>();
    program.nodes.forEach((node, j) => node.args.forEach((arg) => lastUse.set(arg, j)));
    const free = pool.map((_, k) => k);
    const slotOf = new Map<number, number>();
    const values: Float32Array[] = [
      ...inputs.map((input) => backend.readSync(input!.dataId) as Float32Array),
      ...params.map((p) => Float32Array.of(p)),
    ];
    program.nodes.forEach((node, j) => {
      const id = firstNode + j;
      let out: Float32Array;
      if (outputNodes.has(id)) {
        // Outputs become tensor data: arrays of their own.
        out = new Float32Array(n);
      } else {
        const slot = free.pop() ?? pool.push(new Float32Array(n)) - 1;
        if (pool[slot]!.length < n) pool[slot] = new Float32Array(n);
        slotOf.set(id, slot);
        out = pool[slot]!.subarray(0, n);
      }
      runCpuElementwiseOp(node.op, values[node.args[0]!]!, values[node.args[1] ?? node.args[0]!]!, out, n);
      values.push(out);
      for (const arg of new Set(node.args)) {
        const slot = slotOf.get(arg);
        if (slot !== undefined && lastUse.get(arg) === j) free.push(slot);
      }
    });
    const given = new Set<Float32Array>();
    return program.outputs.map((v) => {
      let data = values[v]!;
      // An input, a parameter or a repeated output is copied: every output owns its array.
      if (v < firstNode || given.has(data)) data = data.length === n ? data.slice() : new Float32Array(n).fill(data[0]!);
      given.add(data);
      return backend.makeTensorInfo([...shape], 'float32', data);
    });
  };
}
