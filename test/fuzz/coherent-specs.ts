/**
 * Specs that are meant to be valid: a model family (MLP, CNN, 1-D CNN, token transformer,
 * recurrent, residual, CSV classifier) with random sizes, and a loss, optimizer, schedule, clip,
 * stop rule and metrics that fit it. Most pass every check, so they reach the compiler and the
 * dry run; some still fail a check (a conv kernel larger than its input, say), which is fine.
 * Sizes stay small so the dry run builds the model in milliseconds.
 */
import fc from 'fast-check';

/** What the last layer must produce for the task, and the loss and metrics that go with it. */
interface Task {
  loss: string;
  /** The last layer: `dense(units, activation: ...)`. */
  head: string;
  metrics: readonly string[];
  /** Source options describing the labels of a random source. */
  labels: string;
}

const regression = (targets: number): fc.Arbitrary<Task> =>
  fc.constantFrom('mse', 'mae', 'huber', 'huber(delta: 0.5)').map((loss) => ({
    loss,
    head: `dense(${targets})`,
    metrics: ['mae', 'mse', 'rmse', 'r2'],
    labels: `targets: ${targets}`,
  }));

const classification = (classes: number): fc.Arbitrary<Task> =>
  fc.constantFrom(
    { loss: 'sparse_categorical_cross_entropy', head: `dense(${classes}, activation: softmax)` },
    { loss: 'sparse_categorical_cross_entropy(from_logits: true)', head: `dense(${classes})` },
    { loss: 'categorical_cross_entropy', head: `dense(${classes}, activation: softmax)` },
    { loss: 'binary_cross_entropy', head: 'dense(1, activation: sigmoid)', binary: true },
    { loss: 'binary_cross_entropy(from_logits: true)', head: 'dense(1)', binary: true },
  ).map((t) => ({
    loss: t.loss,
    head: t.head,
    metrics: ['accuracy', 'precision', 'recall', 'f1'],
    labels: `classes: ${'binary' in t ? 2 : classes}`,
  }));

const task = fc.oneof(fc.integer({ min: 1, max: 3 }).chain(regression), fc.integer({ min: 2, max: 5 }).chain(classification));

const activation = fc.constantFrom('relu', 'tanh', 'sigmoid', 'elu', 'selu', 'gelu', 'softplus', 'swish', 'leaky_relu', 'linear');
const initializer = fc.constantFrom('glorot_uniform', 'he_normal', 'lecun_uniform', 'zeros', 'ones', 'random_normal', 'orthogonal');
const units = fc.integer({ min: 1, max: 16 });

const denseLayer = fc
  .tuple(units, activation, fc.option(initializer, { freq: 3 }), fc.option(fc.constantFrom('l1: 0.01', 'l2: 0.001', 'use_bias: false'), { freq: 4 }))
  .map(([u, act, init, extra]) => `dense(${u}, activation: ${act}${init ? `, initializer: ${init}` : ''}${extra ? `, ${extra}` : ''})`);

const extraLayer = fc.constantFrom('dropout(0.2)', 'batch_norm', 'layer_norm', 'activation(relu)', 'dropout(rate: 0.5)');

const hidden = fc.array(fc.oneof({ weight: 3, arbitrary: denseLayer }, { weight: 1, arbitrary: extraLayer }), { maxLength: 3 });

interface ModelAndData {
  model: string[];
  source: string;
  /** Extra lines of the data section (reshape, normalize). */
  data: string[];
  loss: string;
  metrics: readonly string[];
  /** The spec's path: a CSV source resolves its file against it. */
  file: string;
}

const samples = fc.integer({ min: 8, max: 64 });

const mlp: fc.Arbitrary<ModelAndData> = fc.tuple(fc.integer({ min: 1, max: 8 }), task, hidden, samples).map(([features, t, layers, n]) => ({
  model: [`input(shape: [${features}])`, ...layers, t.head],
  source: `random(samples: ${n}, features: ${features}, ${t.labels})`,
  data: [],
  loss: t.loss,
  metrics: t.metrics,
  file: 'fuzz/mlp.mlspec',
}));

const cnn: fc.Arbitrary<ModelAndData> = fc
  .tuple(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('valid', 'same'), fc.boolean(), task, samples)
  .map(([side, channels, filters, padding, pool, t, n]) => ({
    model: [
      `input(shape: [${side}, ${side}, ${channels}])`,
      `conv2d(${filters}, 2, padding: ${padding}, activation: relu)`,
      ...(pool ? ['max_pool2d(2)'] : ['avg_pool2d(size: [1, 2], stride: 1)']),
      'flatten',
      t.head,
    ],
    source: `random(samples: ${n}, features: ${side * side * channels}, ${t.labels})`,
    data: [`reshape: [${side}, ${side}, ${channels}]`],
    loss: t.loss,
    metrics: t.metrics,
    file: 'fuzz/cnn.mlspec',
  }));

const conv1d: fc.Arbitrary<ModelAndData> = fc
  .tuple(fc.integer({ min: 4, max: 8 }), fc.integer({ min: 1, max: 3 }), fc.constantFrom('global_avg_pool1d', 'global_max_pool1d', 'flatten'), task, samples)
  .map(([steps, kernel, reduce, t, n]) => ({
    model: [`input(shape: [${steps}, 1])`, `conv1d(4, ${kernel}, stride: 1)`, 'max_pool1d(2, padding: same)', reduce, t.head],
    source: `random(samples: ${n}, features: ${steps}, ${t.labels})`,
    data: [`reshape: [${steps}, 1]`],
    loss: t.loss,
    metrics: t.metrics,
    file: 'fuzz/conv1d.mlspec',
  }));

const tokens: fc.Arbitrary<ModelAndData> = fc
  .tuple(fc.integer({ min: 2, max: 6 }), fc.integer({ min: 2, max: 8 }), fc.constantFrom('reverse', 'sort', 'copy'), fc.integer({ min: 1, max: 2 }), fc.constantFrom('transformer', 'attention', 'none'), fc.boolean(), samples)
  .map(([length, vocab, taskName, heads, block, causal, n]) => ({
    model: [
      `tokens = input(shape: [${length}], dtype: int32)`,
      `embedding(vocab: ${vocab}, dim: 4)`,
      `positional_embedding(max_length: ${length})`,
      ...(block === 'transformer' ? [`transformer(heads: ${heads}, key_dim: 2, ff: 8, causal: ${causal})`] : block === 'attention' ? [`attention(${heads}, 2, causal: ${causal})`] : []),
      `dense(${vocab})`,
    ],
    source: `sequence(task: ${taskName}, samples: ${n}, length: ${length}, vocab: ${vocab})`,
    data: [],
    loss: 'sparse_categorical_cross_entropy(from_logits: true)',
    metrics: ['accuracy'],
    file: 'fuzz/tokens.mlspec',
  }));

const recurrent: fc.Arbitrary<ModelAndData> = fc
  .tuple(fc.integer({ min: 2, max: 8 }), fc.constantFrom('lstm', 'gru', 'simple_rnn'), units, fc.boolean(), samples)
  .map(([window, kind, u, sequences, n]) => ({
    model: [`input(shape: [${window}, 1])`, `${kind}(${u}, return_sequences: ${sequences})`, ...(sequences ? ['flatten'] : []), 'dense(1)'],
    source: `sine(samples: ${n}, window: ${window}, noise: 0.1)`,
    data: [],
    loss: 'mse',
    metrics: ['mae'],
    file: 'fuzz/recurrent.mlspec',
  }));

const residual: fc.Arbitrary<ModelAndData> = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.constantFrom('add', 'multiply', 'concat'), fc.constantFrom('x', 'constructor', '__proto__', 'toString', 'class'), task, samples)
  .map(([features, merge, name, t, n]) => ({
    model: [
      `${name} = input(shape: [${features}])`,
      `h = dense(${features}, activation: relu) <- ${name}`,
      `m = ${merge} <- ${name}, h`,
      `${t.head} <- m`,
    ],
    source: `random(samples: ${n}, features: ${features}, ${t.labels})`,
    data: [],
    loss: t.loss,
    metrics: t.metrics,
    file: 'fuzz/residual.mlspec',
  }));

/** Data paths besides the real one: devices, folders, traversal, missing files. Each must be a diagnostic. */
const csvPath = fc.oneof(
  { weight: 12, arbitrary: fc.constant('data/iris.csv') },
  { weight: 1, arbitrary: fc.constantFrom('/dev/zero', '/dev/stdin', '/proc/self/mem', '/etc', '../../../../../../etc/passwd', 'data/../data/iris.csv', 'missing.csv', '') },
);

/** The iris data shipped with the examples (150 rows, 4 features, 3 classes). */
const csv: fc.Arbitrary<ModelAndData> = fc.tuple(hidden, fc.constantFrom('none', 'zscore', 'minmax'), fc.constantFrom('error', 'drop', 'zero', 'mean'), csvPath).map(([layers, normalize, missing, file]) => ({
  model: ['input(shape: [4])', ...layers, 'dense(3, activation: softmax)'],
  source: `csv("${file}", label: species, categorical: true, missing: ${missing})`,
  data: [`normalize: ${normalize}`],
  loss: 'sparse_categorical_cross_entropy',
  metrics: ['accuracy'],
  file: 'examples/fuzz-iris.mlspec',
}));

const optimizer = fc.constantFrom(
  'sgd(lr: 0.01)', 'gd(lr: 0.1)', 'momentum(lr: 0.01, beta: 0.9, form: nesterov)', 'momentum(0.05, form: classical)', 'adam(lr: 0.001)',
  'adamw(lr: 0.001, weight_decay: 0.01)', 'rmsprop(lr: 0.001, momentum: 0.5)', 'adagrad(lr: 0.1)', 'adam(lr: 0.01, beta1: 0.5, beta2: 0.9)',
);

const schedule = fc.option(
  fc.constantFrom(
    'exponential(rate: 0.5, every: 2)', 'step(every: 1, factor: 0.5)', 'multistep(milestones: [1, 2], factor: 0.5)',
    'piecewise(boundaries: [2], values: [0.01, 0.001])', 'inverse_time(rate: 0.5, every: 1)', 'polynomial(steps: 4)',
    'cosine(steps: 5, min: 0.0001)', 'warmup(steps: 2, then: cosine(steps: 3))', 'plateau(monitor: loss, patience: 0)',
  ),
  { freq: 2 },
);

const clip = fc.option(fc.constantFrom('value(0.5)', 'norm(1.0)', 'global_norm(limit: 1.0)'), { freq: 3 });

const stop = fc.option(fc.constantFrom('epochs', 'converged(monitor: loss, patience: 1)', 'early(monitor: loss, patience: 1, restore_best: true)'), { freq: 2 });

const split = fc.constantFrom('', 'split { train: 0.75, test: 0.25 }', 'split { train: 0.5, validation: 0.25, test: 0.25 }', 'split { train: 1.0 }');

export interface CoherentSpec {
  source: string;
  file: string;
}

export const coherentSpec: fc.Arbitrary<CoherentSpec> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: mlp }, cnn, conv1d, tokens, recurrent, residual, csv),
    optimizer,
    schedule,
    clip,
    stop,
    split,
    fc.record({ epochs: fc.integer({ min: 0, max: 3 }), batch: fc.oneof(fc.integer({ min: 1, max: 70 }).map(String), fc.constant('full')), seed: fc.nat(1000), metrics: fc.nat(3), checkpoint: fc.nat(2), shuffle: fc.boolean() }),
  )
  .map(([m, opt, sched, clipRule, stopRule, splitText, train]) => {
    const lines = [
      'model {',
      ...m.model.map((l) => `  ${l}`),
      '}',
      '',
      'data {',
      `  source: ${m.source}`,
      ...m.data.map((l) => `  ${l}`),
      ...(splitText ? [`  ${splitText}`] : []),
      `  shuffle: ${train.shuffle}`,
      '}',
      '',
      `loss: ${m.loss}`,
      `optimizer: ${opt}`,
      ...(sched ? [`schedule: ${sched}`] : []),
      ...(clipRule ? [`clip: ${clipRule}`] : []),
      '',
      'train {',
      `  epochs: ${train.epochs}`,
      `  batch: ${train.batch}`,
      `  seed: ${train.seed}`,
      `  metrics: [${m.metrics.slice(0, train.metrics).join(', ')}]`,
      ...(stopRule ? [`  stop: ${stopRule}`] : []),
      `  checkpoint_every: ${train.checkpoint}`,
      '}',
    ];
    return { source: `${lines.join('\n')}\n`, file: m.file };
  });
