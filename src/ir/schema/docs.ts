/**
 * The option reference of docs/language.md, rendered from the schemas so the two cannot drift:
 * the file holds blocks between `<!-- generated: NAME -->` and `<!-- end: NAME -->`, and
 * test/ir/docs.test.ts checks (or, with UPDATE_DOCS=1, rewrites) them.
 */
import { clipSchemas, layerSchemas, lossSchemas, optimizerSchemas, scheduleSchemas, sourceSchemas, stopSchemas } from './index.js';
import { dataSchema, splitSchema } from './data.js';
import { trainSchema } from './train.js';
import { describeDefault, describeDomain, describeType, type CallSchema, type OptionSchema, type SectionSchema } from './types.js';

/** One example per call, shown in the docs; test/ir/docs.test.ts builds each of them. */
export const callExamples: Record<string, string> = {
  input: 'input(shape: [28, 28, 1])',
  dense: 'dense(64, activation: relu, l2: 0.001)',
  activation: 'activation(gelu)',
  dropout: 'dropout(0.2)',
  flatten: 'flatten',
  reshape: 'reshape([8, 8, 1])',
  batch_norm: 'batch_norm(momentum: 0.9)',
  layer_norm: 'layer_norm()',
  conv1d: 'conv1d(16, 5, padding: same, activation: relu)',
  conv2d: 'conv2d(32, kernel: 3, stride: 2, padding: same)',
  max_pool1d: 'max_pool1d(2)',
  avg_pool1d: 'avg_pool1d(3, stride: 1)',
  max_pool2d: 'max_pool2d(2)',
  avg_pool2d: 'avg_pool2d([2, 3])',
  global_max_pool1d: 'global_max_pool1d',
  global_avg_pool1d: 'global_avg_pool1d',
  global_max_pool2d: 'global_max_pool2d',
  global_avg_pool2d: 'global_avg_pool2d',
  embedding: 'embedding(vocab: 1000, dim: 64)',
  lstm: 'lstm(32, return_sequences: true)',
  gru: 'gru(32)',
  simple_rnn: 'simple_rnn(16)',
  attention: 'attention(heads: 4, key_dim: 16, causal: true)',
  transformer: 'transformer(heads: 4, key_dim: 8, ff: 64, dropout: 0.1)',
  positional_embedding: 'positional_embedding(max_length: 128)',
  add: 'sum = add <- a, b',
  multiply: 'gated = multiply <- a, b',
  concat: 'both = concat <- a, b',
  random: 'random(samples: 100, features: 10, targets: 1)',
  csv: 'csv("data/iris.csv", label: species, categorical: true)',
  sequence: 'sequence(task: reverse, samples: 3000, length: 8, vocab: 10)',
  sine: 'sine(samples: 1200, window: 20, period: 25, noise: 0.05)',
  images: 'images("data/digit_images", size: [16, 16], channels: 1)',
  mse: 'mse',
  mae: 'mae',
  huber: 'huber(delta: 0.5)',
  binary_cross_entropy: 'binary_cross_entropy(from_logits: true)',
  categorical_cross_entropy: 'categorical_cross_entropy',
  sparse_categorical_cross_entropy: 'sparse_categorical_cross_entropy',
  gd: 'gd(lr: 0.1)',
  sgd: 'sgd(0.01)',
  momentum: 'momentum(lr: 0.1, beta: 0.9, form: nesterov)',
  adam: 'adam(lr: 0.001)',
  adamw: 'adamw(lr: 0.001, weight_decay: 0.01)',
  rmsprop: 'rmsprop(lr: 0.001, rho: 0.95)',
  adagrad: 'adagrad(lr: 0.01)',
  value: 'value(0.5)',
  norm: 'norm(1.0)',
  global_norm: 'global_norm(5.0)',
  constant: 'constant',
  exponential: 'exponential(rate: 0.96, every: 100, staircase: true)',
  step: 'step(every: 30, factor: 0.1)',
  multistep: 'multistep(milestones: [30, 80], factor: 0.1)',
  piecewise: 'piecewise(boundaries: [1000, 2000], values: [0.01, 0.005, 0.001])',
  inverse_time: 'inverse_time(rate: 0.5, every: 100)',
  polynomial: 'polynomial(steps: 1000, end: 0.0001, power: 2)',
  cosine: 'cosine(steps: 1500)',
  warmup: 'warmup(steps: 100, then: cosine(steps: 1000))',
  plateau: 'plateau(monitor: val_loss, factor: 0.5, patience: 3)',
  epochs: 'epochs',
  converged: 'converged(monitor: loss, tolerance: 1e-5, patience: 5)',
  early: 'early(monitor: val_loss, patience: 10, restore_best: true)',
};

function optionRows(options: readonly OptionSchema[], positional: readonly string[]): string[] {
  if (options.length === 0) return ['No options.'];
  const ordinal = ['1st', '2nd', '3rd'];
  const rows = options.map((option) => {
    const index = positional.indexOf(option.name);
    const name = index >= 0 ? `\`${option.name}\` (${ordinal[index] ?? `${index + 1}th`} positional)` : `\`${option.name}\``;
    const type = option.type.kind === 'enum' ? option.type.values.map((v) => `\`${v}\``).join(', ') : describeType(option.type);
    const range = option.domain ? describeDomain(option.domain) + (option.type.kind.endsWith('s') || option.type.kind === 'int_pair' ? ' each' : '') : '';
    const d = option.default;
    const fallback = 'required' in d ? '**required**' : 'derived' in d ? d.derived : `\`${describeDefault(option)}\``;
    return `| ${name} | ${type} | ${fallback} | ${range} | ${option.doc.replaceAll("|", "\\|")} |`;
  });
  return ['| option | value | default | range | meaning |', '| --- | --- | --- | --- | --- |', ...rows];
}

function renderCall(schema: CallSchema, level: string): string {
  const example = callExamples[schema.name];
  return [`${level} ${schema.name}`, '', schema.doc, '', ...(example ? ['```', example, '```', ''] : []), ...optionRows(schema.options, schema.positional)].join('\n');
}

function renderCalls(table: Readonly<Record<string, CallSchema>>): string {
  return Object.values(table)
    .map((schema) => renderCall(schema, '####'))
    .join('\n\n');
}

function renderSection(schema: SectionSchema): string {
  return [schema.doc, '', ...optionRows(schema.options, [])].join('\n');
}

/** The generated blocks, by name. */
export function generatedBlocks(): Record<string, string> {
  return {
    layers: renderCalls(layerSchemas),
    sources: renderCalls(sourceSchemas),
    'data-section': renderSection(dataSchema),
    'split-section': renderSection(splitSchema),
    losses: renderCalls(lossSchemas),
    optimizers: renderCalls(optimizerSchemas),
    clips: renderCalls(clipSchemas),
    schedules: renderCalls(scheduleSchemas),
    'train-section': renderSection(trainSchema),
    stops: renderCalls(stopSchemas),
  };
}

/** `markdown` with every generated block replaced by its current rendering. */
export function refreshGeneratedBlocks(markdown: string): string {
  const blocks = generatedBlocks();
  return markdown.replace(/<!-- generated: ([a-z-]+) -->\n[\s\S]*?<!-- end: \1 -->/g, (whole, name: string) =>
    name in blocks ? `<!-- generated: ${name} -->\n${blocks[name]}\n<!-- end: ${name} -->` : whole,
  );
}
