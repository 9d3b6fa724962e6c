/**
 * The one wording of weight decay: the optimizer schemas (and so docs/language.md) use these
 * sentences, docs/semantics.md shows the same formulas, and test/ir/weight-decay-docs.test.ts
 * checks that the two documents and the runtime (src/runtime/optimizers) agree.
 */
export const weightDecayWording = {
  /** Every optimizer but adamw (src/runtime/optimizers: couplesWeightDecay). */
  coupled: {
    formula: 'g ← g + weight_decay · θ',
    doc: 'Coupled L2 weight decay, added to the gradient before the update: g ← g + weight_decay · θ.',
  },
  /** adamw only. */
  decoupled: {
    formula: 'θ ← θ − lr · weight_decay · θ',
    doc: 'Decoupled weight decay, applied to the weights before the Adam step: θ ← θ − lr · weight_decay · θ.',
  },
} as const;
