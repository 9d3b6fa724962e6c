/**
 * Compiles an ElementwiseProgram to a small WebAssembly module that works on the wasm backend's
 * own linear memory (imported as env.memory), so it reads and writes tensors in place with no
 * copies. The module exports one function
 *
 *   run(in_0 .. in_k-1, out_0 .. out_o-1: byte offsets, n: element count, p_0 .. p_q-1: f32)
 *
 * whose main loop takes four elements at a time with 128-bit WASM_SIMD_OP (f32x4) and whose tail loop
 * takes the last n mod 4 one at a time with the scalar f32 instructions. Both are IEEE float32,
 * correctly rounded, with no fused multiply-add: each element gets exactly what the tfjs kernels
 * of the same operations give it. The bytes are written here directly (the binary format is
 * small) so that no assembler is needed at build or run time.
 */
import { validateElementwiseProgram, type ElementwiseOp, type ElementwiseProgram } from './elementwiseProgram.js';

const WASM_I32 = 0x7f;
const WASM_F32 = 0x7d;
const WASM_V128 = 0x7b;

// Opcodes (WebAssembly core 2.0); the SIMD ones (WASM_SIMD_OP) follow the 0xfd prefix as an unsigned LEB128.
const WASM_OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  localGet: 0x20,
  localSet: 0x21,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Shl: 0x74,
  f32Sqrt: 0x91,
  f32Add: 0x92,
  f32Sub: 0x93,
  f32Mul: 0x94,
  f32Div: 0x95,
  simd: 0xfd,
} as const;
const WASM_SIMD_OP = { v128Load: 0x00, v128Store: 0x0b, f32x4Splat: 0x13, f32x4Sqrt: 0xe3, f32x4Add: 0xe4, f32x4Sub: 0xe5, f32x4Mul: 0xe6, f32x4Div: 0xe7 } as const;

const ELEMENTWISE_SCALAR_OPCODE: Readonly<Record<ElementwiseOp, number>> = {
  add: WASM_OP.f32Add,
  sub: WASM_OP.f32Sub,
  mul: WASM_OP.f32Mul,
  div: WASM_OP.f32Div,
  sqrt: WASM_OP.f32Sqrt,
  square: WASM_OP.f32Mul,
};
const ELEMENTWISE_SIMD_OPCODE: Readonly<Record<ElementwiseOp, number>> = {
  add: WASM_SIMD_OP.f32x4Add,
  sub: WASM_SIMD_OP.f32x4Sub,
  mul: WASM_SIMD_OP.f32x4Mul,
  div: WASM_SIMD_OP.f32x4Div,
  sqrt: WASM_SIMD_OP.f32x4Sqrt,
  square: WASM_SIMD_OP.f32x4Mul,
};

function wasmUnsignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}

function wasmSignedLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    const done = (rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function wasmVector(items: number[][]): number[] {
  return [...wasmUnsignedLeb(items.length), ...items.flat()];
}

function wasmName(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...wasmUnsignedLeb(bytes.length), ...bytes];
}

function wasmSection(id: number, content: number[]): number[] {
  return [id, ...wasmUnsignedLeb(content.length), ...content];
}

/** The function body of `run` for a program (locals declaration, code, end). */
function elementwiseFunctionBody(program: ElementwiseProgram): number[] {
  const { inputs, params, nodes, outputs } = program;
  // Function parameters: input pointers, output pointers, n, then the f32 parameters.
  const inputPtr = (k: number) => k;
  const outputPtr = (o: number) => inputs + o;
  const count = inputs + outputs.length;
  const param = (p: number) => count + 1 + p;
  const firstLocal = count + 1 + params;
  // Locals: i32 i, vectorEnd, end; v128 per parameter, input and node; f32 per input and node.
  const index = firstLocal;
  const vectorEnd = firstLocal + 1;
  const end = firstLocal + 2;
  const vParam = (p: number) => firstLocal + 3 + p;
  const vValue = (v: number) => firstLocal + 3 + params + (v < inputs ? v : v - params);
  const sValue = (v: number) => firstLocal + 3 + params + inputs + nodes.length + (v < inputs ? v : v - params);
  const locals = [
    [...wasmUnsignedLeb(3), WASM_I32],
    [...wasmUnsignedLeb(params + inputs + nodes.length), WASM_V128],
    [...wasmUnsignedLeb(inputs + nodes.length), WASM_F32],
  ];

  const code: number[] = [];
  const get = (local: number) => code.push(WASM_OP.localGet, ...wasmUnsignedLeb(local));
  const set = (local: number) => code.push(WASM_OP.localSet, ...wasmUnsignedLeb(local));
  const simd = (op: number, ...immediates: number[]) => code.push(WASM_OP.simd, ...wasmUnsignedLeb(op), ...immediates);
  const isParam = (v: number) => v >= inputs && v < inputs + params;
  // memarg: alignment exponent, then offset; offsets are always 0 (the pointer includes them).
  const memarg = (alignExponent: number) => [alignExponent, 0];

  // vectorEnd = (n & ~3) * 4; end = n * 4 (byte offsets).
  get(count);
  code.push(WASM_OP.i32Const, ...wasmSignedLeb(-4), WASM_OP.i32And, WASM_OP.i32Const, 2, WASM_OP.i32Shl);
  set(vectorEnd);
  get(count);
  code.push(WASM_OP.i32Const, 2, WASM_OP.i32Shl);
  set(end);
  for (let p = 0; p < params; p++) {
    get(param(p));
    simd(WASM_SIMD_OP.f32x4Splat);
    set(vParam(p));
  }

  const emitLoop = (limit: number, lanes: 'simd' | 'scalar') => {
    const valueLocal = (v: number) => (isParam(v) ? (lanes === 'simd' ? vParam(v - inputs) : param(v - inputs)) : lanes === 'simd' ? vValue(v) : sValue(v));
    code.push(WASM_OP.block, 0x40, WASM_OP.loop, 0x40);
    get(index);
    get(limit);
    code.push(WASM_OP.i32GeU, WASM_OP.brIf, 1);
    for (let k = 0; k < inputs; k++) {
      get(inputPtr(k));
      get(index);
      code.push(WASM_OP.i32Add);
      if (lanes === 'simd') simd(WASM_SIMD_OP.v128Load, ...memarg(0));
      else code.push(WASM_OP.f32Load, ...memarg(2));
      set(valueLocal(k));
    }
    nodes.forEach((node, j) => {
      const args = node.op === 'square' ? [node.args[0]!, node.args[0]!] : node.args;
      for (const arg of args) get(valueLocal(arg));
      if (lanes === 'simd') simd(ELEMENTWISE_SIMD_OPCODE[node.op]);
      else code.push(ELEMENTWISE_SCALAR_OPCODE[node.op]);
      set(valueLocal(inputs + params + j));
    });
    outputs.forEach((value, o) => {
      get(outputPtr(o));
      get(index);
      code.push(WASM_OP.i32Add);
      get(valueLocal(value));
      if (lanes === 'simd') simd(WASM_SIMD_OP.v128Store, ...memarg(0));
      else code.push(WASM_OP.f32Store, ...memarg(2));
    });
    get(index);
    code.push(WASM_OP.i32Const, lanes === 'simd' ? 16 : 4, WASM_OP.i32Add);
    set(index);
    code.push(WASM_OP.br, 0, WASM_OP.end, WASM_OP.end);
  };
  emitLoop(vectorEnd, 'simd');
  emitLoop(end, 'scalar');
  code.push(WASM_OP.end);
  return [...wasmVector(locals), ...code];
}

/** The bytes of the module for a program. */
export function elementwiseWasmBytes(program: ElementwiseProgram): Uint8Array {
  validateElementwiseProgram(program);
  const pointerCount = program.inputs + program.outputs.length;
  const paramTypes = [...Array<number>(pointerCount + 1).fill(WASM_I32), ...Array<number>(program.params).fill(WASM_F32)];
  const functionType = [0x60, ...wasmUnsignedLeb(paramTypes.length), ...paramTypes, 0];
  const memoryImport = [...wasmName('env'), ...wasmName('memory'), 0x02, 0x00, 0x00];
  const body = elementwiseFunctionBody(program);
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...wasmSection(1, wasmVector([functionType])),
    ...wasmSection(2, wasmVector([memoryImport])),
    ...wasmSection(3, wasmVector([[0]])),
    ...wasmSection(7, wasmVector([[...wasmName('run'), 0x00, 0]])),
    ...wasmSection(10, wasmVector([[...wasmUnsignedLeb(body.length), ...body]])),
  ]);
}

/** `run` as a JS function; arguments as in the module comment. */
export type ElementwiseWasmRun = (...args: number[]) => void;

/** A WebAssembly.Memory (typed here: the project compiles without the DOM library). */
export interface ElementwiseWasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The parts of the WebAssembly JS API used here; Node provides the global. */
interface ElementwiseWasmJsApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: abstract new (...args: never[]) => ElementwiseWasmMemory;
}

export function elementwiseWasmJsApi(): ElementwiseWasmJsApi {
  return (globalThis as unknown as { WebAssembly: ElementwiseWasmJsApi }).WebAssembly;
}

/** Instantiates a program's module on a memory (the wasm backend's). */
export function instantiateElementwiseWasm(program: ElementwiseProgram, memory: ElementwiseWasmMemory): ElementwiseWasmRun {
  const api = elementwiseWasmJsApi();
  const module = new api.Module(elementwiseWasmBytes(program));
  const instance = new api.Instance(module, { env: { memory } });
  return instance.exports.run as ElementwiseWasmRun;
}
