/**
 * What a compiled program imports from its mlspec-runtime/ folder (a verbatim copy of this
 * folder): every factory of the language (factories.ts: all optimizers, schedules, losses,
 * clipping rules, metrics, stop rules and data sources, whichever the program uses), the layer
 * helpers and mlspec's own layer classes, the training-loop steps, and the program's command line.
 */
export * from './factories.js';
export { programOptions, runProgram, programDir, withDataFiles, PROGRAM_USAGE, type ProgramOptions } from './entry.js';
export { TrainingRun, type TrainingBatch, type TrainingLoop } from './loop-steps.js';
export { withWeightPenalty, type BuiltModel, type KernelPenalty } from './model.js';
export { seededInitializer, MLSPEC_LAYER_FACTORIES, type GraphLayerFactory } from './layers/graph-layers.js';
export { mlspecActivationId } from './layers/options.js';
export { registerMlspecLayers } from './layers/register.js';
export { SeededDropout } from './layers/dropout.js';
export { MultiHeadSelfAttention } from './layers/multi-head-self-attention.js';
export { TransformerEncoder } from './layers/transformer-encoder.js';
export { PositionalEmbedding } from './layers/positional-embedding.js';
export { MlspecColumnSlice } from './layers/column-slice.js';
export type { TrainingPlan } from './plan.js';
export type { PrepareDataConfig } from './data/prepare.js';
export type { GradientClipper, Loss, Metric, Optimizer, Schedule, StopRule } from './contracts.js';
