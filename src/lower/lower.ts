/**
 * Lowers a checked SpecIR to a PlanDescription (factory calls with JSON configs). This is the
 * one place that maps spec kinds to runtime factories; `run` and `compile` both go through it.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type {
  ClipIR,
  LossIR,
  MetricName,
  OptimizerIR,
  ScheduleIR,
  SpecIR,
  StopIR,
} from '../ir/types.js';
import type { GraphNode, JsonValue, ModelGraph } from '../runtime/contracts.js';
import type { PrepareDataConfig } from '../runtime/data/prepare.js';
import { lowerTypedColumns } from './typed-columns.js';
import { call, ref, type PlanCall, type PlanDescription, type PlanRef } from './plan-description.js';

/** The IR node's own options: everything but the bookkeeping fields. */
function optionsOf(node: object, ...drop: string[]): { [key: string]: JsonValue } {
  const skip = new Set(['kind', 'span', 'spans', ...drop]);
  const out: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(node)) if (!skip.has(key)) out[key] = value as JsonValue;
  return out;
}

const OPTIMIZER_FACTORIES: Record<OptimizerIR['kind'], string> = {
  gd: 'createGd',
  sgd: 'createSgd',
  momentum: 'createMomentum',
  adam: 'createAdam',
  adamw: 'createAdamW',
  rmsprop: 'createRmsprop',
  adagrad: 'createAdagrad',
};

const LOSS_FACTORIES: Record<LossIR['kind'], string> = {
  mse: 'mseLoss',
  mae: 'maeLoss',
  huber: 'huberLoss',
  binary_cross_entropy: 'binaryCrossEntropyLoss',
  categorical_cross_entropy: 'categoricalCrossEntropyLoss',
  sparse_categorical_cross_entropy: 'sparseCategoricalCrossEntropyLoss',
};

const CLIP_FACTORIES: Record<ClipIR['kind'], string> = {
  value: 'clipByValue',
  norm: 'clipByNorm',
  global_norm: 'clipByGlobalNorm',
};

const SCHEDULE_FACTORIES: Record<ScheduleIR['kind'], string> = {
  constant: 'constantSchedule',
  exponential: 'exponentialDecay',
  step: 'stepDecay',
  multistep: 'multistepDecay',
  piecewise: 'piecewiseConstant',
  inverse_time: 'inverseTimeDecay',
  polynomial: 'polynomialDecay',
  cosine: 'cosineDecay',
  warmup: 'linearWarmup',
  plateau: 'reduceOnPlateau',
};

const SOURCE_FACTORIES: Record<SpecIR['data']['source']['kind'], string> = {
  random: 'randomDataSource',
  csv: 'csvDataSource',
  sequence: 'sequenceDataSource',
  sine: 'sineDataSource',
  images: 'imagesDataSource',
};

/** The runtime's layer factory of a layer kind: dense -> denseLayerFactory, max_pool2d -> maxPool2dLayerFactory. */
export function layerFactoryName(kind: string): string {
  return `${kind.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())}LayerFactory`;
}

export function lowerLayers(ir: SpecIR): { [kind: string]: PlanRef } {
  const kinds = [...new Set(ir.model.nodes.map((n) => n.kind).filter((k) => k !== 'input'))].sort();
  return Object.fromEntries(kinds.map((k) => [k, ref(layerFactoryName(k))]));
}

const STOP_FACTORIES: Record<StopIR['kind'], string> = {
  epochs: 'fixedEpochs',
  converged: 'convergence',
  early: 'earlyStopping',
};

const METRIC_FACTORIES: Record<Exclude<MetricName, 'loss'>, string> = {
  accuracy: 'accuracyMetric',
  mae: 'maeMetric',
  mse: 'mseMetric',
  rmse: 'rmseMetric',
  r2: 'r2Metric',
  precision: 'precisionMetric',
  recall: 'recallMetric',
  f1: 'f1Metric',
};

/** Classification metrics need to know how labels and predictions are encoded. */
function classificationTarget(loss: LossIR): { target: 'binary' | 'categorical' | 'sparse'; from_logits: boolean } {
  switch (loss.kind) {
    case 'binary_cross_entropy':
      return { target: 'binary', from_logits: loss.from_logits };
    case 'categorical_cross_entropy':
      return { target: 'categorical', from_logits: loss.from_logits };
    case 'sparse_categorical_cross_entropy':
      return { target: 'sparse', from_logits: loss.from_logits };
    default:
      return { target: 'binary', from_logits: false };
  }
}

export function lowerSchedule(schedule: ScheduleIR): PlanCall {
  if (schedule.kind === 'constant') return call(SCHEDULE_FACTORIES.constant);
  if (schedule.kind === 'warmup') {
    return call(SCHEDULE_FACTORIES.warmup, { steps: schedule.steps, unit: schedule.unit, then: lowerSchedule(schedule.then) });
  }
  return call(SCHEDULE_FACTORIES[schedule.kind], optionsOf(schedule));
}

export function lowerMetrics(metrics: readonly MetricName[], loss: LossIR): PlanCall[] {
  const classification = new Set<MetricName>(['accuracy', 'precision', 'recall', 'f1']);
  return metrics
    .filter((m): m is Exclude<MetricName, 'loss'> => m !== 'loss')
    .map((m) => (classification.has(m) ? call(METRIC_FACTORIES[m], classificationTarget(loss)) : call(METRIC_FACTORIES[m])));
}

export function lowerGraph(ir: SpecIR): ModelGraph {
  const nodes: GraphNode[] = ir.model.nodes.map((node) => ({
    name: node.name,
    layer: node.kind,
    config: graphConfigOf(node),
    inputs: node.inputs.map((i) => i.name),
  }));
  return { nodes, inputs: [...ir.model.inputs], outputs: [...ir.model.outputs] };
}

/** A node's config; an input's `from`, `normalize` and `missing` only when written, so plans without typed columns stay as they were. */
function graphConfigOf(node: SpecIR['model']['nodes'][number]): { [key: string]: JsonValue } {
  const config = { ...(node.config as unknown as { [key: string]: JsonValue }) };
  if (node.kind !== 'input') return config;
  for (const key of ['from', 'normalize', 'missing']) if (config[key] === null || config[key] === undefined) delete config[key];
  return config;
}

export function lowerData(ir: SpecIR): PrepareDataConfig {
  const d = ir.data;
  return {
    source: lowerTypedColumns(ir, { kind: d.source.kind, ...optionsOf(d.source) }) as unknown as PrepareDataConfig['source'],
    reshape: d.reshape,
    normalize: d.normalize,
    one_hot: d.one_hot,
    binary_labels: ir.loss.kind === 'binary_cross_entropy',
    split: { train: d.split.train, validation: d.split.validation, test: d.split.test, stratify: d.split.stratify },
    shuffle: d.shuffle,
    seed: d.seed,
  } as PrepareDataConfig;
}

type PlanArgObject = { [key: string]: JsonValue };

/** A short, stable digest of a part of the spec, compared on resume. */
const canonical = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

export function lowerSpec(ir: SpecIR, specSource: string): PlanDescription {
  const graph = lowerGraph(ir);
  const data = lowerData(ir);
  const loss = call(LOSS_FACTORIES[ir.loss.kind], optionsOf(ir.loss));
  const optimizer = call(OPTIMIZER_FACTORIES[ir.optimizer.kind], optionsOf(ir.optimizer, 'lr'));
  const clip = ir.clip ? call(CLIP_FACTORIES[ir.clip.kind], optionsOf(ir.clip)) : null;
  const schedule = lowerSchedule(ir.schedule);
  const stop = ir.train.stop.kind === 'epochs' ? call(STOP_FACTORIES.epochs) : call(STOP_FACTORIES[ir.train.stop.kind], optionsOf(ir.train.stop));
  // Full-batch gradient descent is one update per epoch over the whole training split.
  const batch = ir.optimizer.kind === 'gd' ? 'full' : ir.train.batch;
  const fingerprint = {
    model: canonical(graph),
    data: canonical(data),
    loss: canonical(loss),
    optimizer: canonical({ ...optimizer, lr: ir.optimizer.lr }),
    clip: canonical(clip),
    schedule: canonical(schedule),
    batch: canonical(batch),
  };
  return {
    name: path.basename(ir.file).replace(/\.mlspec$/, ''),
    specHash: createHash('sha256').update(specSource).digest('hex'),
    specSource,
    graph,
    layers: lowerLayers(ir),
    source: call(SOURCE_FACTORIES[ir.data.source.kind], data.source as unknown as PlanArgObject),
    data,
    loss,
    optimizer,
    learningRate: ir.optimizer.lr,
    clip,
    schedule,
    metrics: lowerMetrics(ir.train.metrics, ir.loss),
    stop,
    epochs: ir.train.epochs,
    batch,
    shuffle: ir.data.shuffle,
    seed: ir.train.seed,
    checkpointEvery: ir.train.checkpoint_every,
    checkpointSeconds: ir.train.checkpoint_seconds,
    fingerprint,
  };
}
