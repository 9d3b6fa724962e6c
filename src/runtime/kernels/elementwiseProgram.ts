/**
 * An elementwise program: a straight-line float32 computation applied to every element of some
 * equally shaped tensors, producing equally shaped tensors. One optimizer update of one variable
 * is such a program (Adam: theta, g, m, v -> theta', m', v'), and running it as one kernel
 * replaces a dozen kernel launches and scalar uploads per variable and step.
 *
 * Values are numbered: the inputs first (0 .. inputs-1), then the scalar parameters, then one
 * value per node, in order; a node's arguments are earlier values. Every operation is a single
 * correctly rounded float32 operation, the same as the tfjs kernel of that name, so a program
 * gives bit for bit what the same operations give one kernel at a time.
 */
export type ElementwiseOp = 'add' | 'sub' | 'mul' | 'div' | 'sqrt' | 'square';

export interface ElementwiseNode {
  op: ElementwiseOp;
  args: number[];
}

export interface ElementwiseProgram {
  /** Number of tensor inputs. */
  inputs: number;
  /** Number of float32 scalar parameters (their values are given per run, not baked in). */
  params: number;
  nodes: ElementwiseNode[];
  /** The value of each output tensor. */
  outputs: number[];
}

/** The kernel that runs an ElementwiseProgram: inputs x0, x1, ...; attrs { program, params }. */
export const ELEMENTWISE_KERNEL_NAME = 'MlspecElementwise';

/** The attributes of that kernel, on every backend that has it. */
export interface ElementwiseKernelAttrs {
  program: ElementwiseProgram;
  /** One value per program parameter. */
  params: number[];
}

/** The number of arguments each operation takes. */
export const ELEMENTWISE_OP_ARITY: Readonly<Record<ElementwiseOp, number>> = {
  add: 2,
  sub: 2,
  mul: 2,
  div: 2,
  sqrt: 1,
  square: 1,
};

/** Throws unless every node refers to earlier values with the right arity and outputs exist. */
export function validateElementwiseProgram(program: ElementwiseProgram): void {
  const { inputs, params, nodes, outputs } = program;
  if (!Number.isInteger(inputs) || inputs < 1 || !Number.isInteger(params) || params < 0) {
    throw new Error(`elementwise program: bad counts (inputs ${inputs}, params ${params})`);
  }
  nodes.forEach((node, j) => {
    const available = inputs + params + j;
    const arity = ELEMENTWISE_OP_ARITY[node.op];
    if (arity === undefined || node.args.length !== arity) {
      throw new Error(`elementwise program: node ${j} (${node.op}) needs ${arity ?? '?'} arguments`);
    }
    for (const arg of node.args) {
      if (!Number.isInteger(arg) || arg < 0 || arg >= available) {
        throw new Error(`elementwise program: node ${j} refers to value ${arg}, which is not computed before it`);
      }
    }
  });
  const values = inputs + params + nodes.length;
  if (outputs.length === 0 || outputs.some((v) => !Number.isInteger(v) || v < 0 || v >= values)) {
    throw new Error('elementwise program: every output must name a value');
  }
}
