/**
 * The arithmetic an optimizer's update rule is written in. A rule is written once against
 * UpdateMath and runs two ways that give the same bits:
 *   - on tensors, one tfjs op per operation (tensorUpdateMath), on any backend;
 *   - traced into an ElementwiseProgram (traceElementwiseUpdate) that a backend with the
 *     elementwise kernel (wasm, cpu) runs in one pass, instead of a dozen kernel launches.
 * Every constant becomes a program parameter, so a rule whose learning rate or bias correction
 * changes every step still traces to the same program.
 */
import * as tf from '@tensorflow/tfjs';
import type { ElementwiseNode, ElementwiseOp, ElementwiseProgram } from '../kernels/elementwiseProgram.js';

export interface UpdateMath<T> {
  /** A float32 scalar. */
  constant(value: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  sqrt(a: T): T;
  square(a: T): T;
}

export const tensorUpdateMath: UpdateMath<tf.Tensor> = {
  constant: (value) => tf.scalar(value),
  add: (a, b) => a.add(b),
  sub: (a, b) => a.sub(b),
  mul: (a, b) => a.mul(b),
  div: (a, b) => a.div(b),
  sqrt: (a) => a.sqrt(),
  square: (a) => a.square(),
};

/** A value while tracing: an input, a parameter or a node, numbered in order of creation. */
interface TracedUpdateValue {
  readonly kind: 'input' | 'param' | 'node';
  readonly index: number;
}

/**
 * Traces `update` over `inputCount` tensor inputs into a program, and returns it with the values
 * of its parameters (the constants the rule used, in order).
 */
export function traceElementwiseUpdate(
  inputCount: number,
  update: (math: UpdateMath<TracedUpdateValue>, inputs: TracedUpdateValue[]) => TracedUpdateValue[],
): { program: ElementwiseProgram; params: number[] } {
  const params: number[] = [];
  const traced: { op: ElementwiseOp; args: TracedUpdateValue[] }[] = [];
  const node = (op: ElementwiseOp, ...args: TracedUpdateValue[]): TracedUpdateValue => {
    traced.push({ op, args });
    return { kind: 'node', index: traced.length - 1 };
  };
  const math: UpdateMath<TracedUpdateValue> = {
    constant: (value) => {
      params.push(value);
      return { kind: 'param', index: params.length - 1 };
    },
    add: (a, b) => node('add', a, b),
    sub: (a, b) => node('sub', a, b),
    mul: (a, b) => node('mul', a, b),
    div: (a, b) => node('div', a, b),
    sqrt: (a) => node('sqrt', a),
    square: (a) => node('square', a),
  };
  const inputs = Array.from({ length: inputCount }, (_, index): TracedUpdateValue => ({ kind: 'input', index }));
  const results = update(math, inputs);
  // Program numbering: inputs, then parameters, then nodes.
  const number = (value: TracedUpdateValue): number =>
    value.kind === 'input' ? value.index : value.kind === 'param' ? inputCount + value.index : inputCount + params.length + value.index;
  const nodes: ElementwiseNode[] = traced.map(({ op, args }) => ({ op, args: args.map(number) }));
  return { program: { inputs: inputCount, params: params.length, nodes, outputs: results.map(number) }, params };
}
