/**
 * Specs that are well formed but wrong in a way a new user hits (issue #17), each with the
 * diagnostic it must get: a regression loss on class labels, a classification metric after a
 * regression loss, a learning rate or epsilon that float32 cannot hold, an absurd learning rate,
 * `shuffle: false` on a file sorted by its label, class names in a label column that is not
 * categorical, split ratios written as percentages, `=` for `:`, an unclosed bracket, a Keras,
 * PyTorch or Ludwig name, a run of too many steps, a generated data set too large to hold, and
 * dtype: int32 on a CSV column with a real number. The other generators never produced these.
 *
 * Used by test/fuzz/semantic.test.ts (front end only, a few thousand cases) and by
 * `npm run fuzz` (scripts/fuzz.mjs: the whole pipeline, plus checkSemanticCase).
 */
import fc from 'fast-check';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

export type SemanticCase =
  | 'regression-loss-on-classes'
  | 'class-metric-on-regression'
  | 'float32-unrepresentable'
  | 'absurd-learning-rate'
  | 'shuffle-false-sorted'
  | 'class-names-not-categorical'
  | 'percent-split'
  | 'equals-for-colon'
  | 'unclosed-bracket'
  | 'foreign-name'
  | 'too-many-steps'
  | 'generated-too-large'
  | 'int32-on-real-csv';

export interface SemanticSpec {
  case: SemanticCase;
  source: string;
  /** Relative to the repository root: CSV paths resolve against it (test/fixtures/invalid/data/). */
  file: string;
  /** A diagnostic with this code and severity must be reported. */
  expect: { code: string; severity: 'error' | 'warning'; text?: string };
}

const FILE = 'test/fixtures/invalid/semantic-fuzz.mlspec';

interface Parts {
  model: string[];
  source: string;
  split?: string;
  dataExtra?: string[];
  loss: string;
  optimizer: string;
  schedule?: string;
  train?: string[];
}

function render(p: Parts): string {
  const data = [`  source: ${p.source}`, ...(p.split ? [`  split { ${p.split} }`] : []), ...(p.dataExtra ?? []).map((line) => `  ${line}`)];
  return [
    'model {',
    ...p.model.map((line) => `  ${line}`),
    '}',
    'data {',
    ...data,
    '}',
    `loss: ${p.loss}`,
    `optimizer: ${p.optimizer}`,
    ...(p.schedule ? [`schedule: ${p.schedule}`] : []),
    ...(p.train ? ['train {', ...p.train.map((line) => `  ${line}`), '}'] : []),
    '',
  ].join('\n');
}

const features = fc.integer({ min: 1, max: 6 });
const hidden = fc.array(fc.integer({ min: 1, max: 8 }).map((u) => `dense(${u}, activation: relu)`), { maxLength: 2 });
const samples = fc.integer({ min: 10, max: 40 });
const regressionLoss = fc.constantFrom('mse', 'mae', 'huber', 'huber(delta: 0.5)');
const optimizerName = fc.constantFrom('sgd', 'adam', 'adamw', 'rmsprop', 'adagrad', 'momentum', 'gd');
const sane = fc.constantFrom('adam', 'sgd(0.01)', 'adam(lr: 0.003)', 'rmsprop', 'momentum(lr: 0.05, beta: 0.9)');
const ratioSplit = fc.constantFrom('train: 0.7, validation: 0.15, test: 0.15', 'train: 0.8, test: 0.2', 'train: 0.6, validation: 0.4', 'train: 0.5, validation: 0.25, test: 0.25');

const regressionOnClasses: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, hidden, fc.integer({ min: 2, max: 6 }), samples, regressionLoss, fc.constantFrom('one', 'per-class', 'softmax'), fc.boolean(), sane)
  .map(([f, h, classes, n, loss, head, csv, optimizer]) => {
    const width = csv ? 3 : classes;
    const out = head === 'one' ? 'dense(1)' : head === 'per-class' ? `dense(${width})` : `dense(${width}, activation: softmax)`;
    const source = csv ? 'csv("data/classes-sorted.csv", label: kind, categorical: true)' : `random(samples: ${n}, features: ${f}, classes: ${classes})`;
    return {
      case: 'regression-loss-on-classes' as const,
      source: render({ model: [`input(shape: [${csv ? 2 : f}])`, ...h, out], source, loss, optimizer }),
      file: FILE,
      expect: { code: 'E0524', severity: 'error' as const, text: 'is a regression loss' },
    };
  });

const classMetricOnRegression: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, hidden, fc.integer({ min: 1, max: 3 }), samples, regressionLoss, fc.subarray(['accuracy', 'precision', 'recall', 'f1'], { minLength: 1 }), fc.subarray(['mae', 'rmse', 'r2']), sane)
  .map(([f, h, targets, n, loss, wrong, right, optimizer]) => ({
    case: 'class-metric-on-regression' as const,
    source: render({
      model: [`input(shape: [${f}])`, ...h, `dense(${targets})`],
      source: `random(samples: ${n}, features: ${f}, targets: ${targets})`,
      loss,
      optimizer,
      train: ['epochs: 2', `metrics: [${[...right, ...wrong].join(', ')}]`],
    }),
    file: FILE,
    expect: { code: 'E0610', severity: 'error' as const, text: 'regression loss' },
  }));

/** Denormal or zero in float32 (but > 0 as a double), or Infinity in float32. */
const unrepresentable = fc.oneof(
  fc.constantFrom(5e-324, 4e-323, 1e-310, 2.2e-308, 1e-40, 1e-45, 1e-39),
  fc.double({ min: 5e-324, max: 1e-38, noNaN: true }).filter((v) => v > 0),
  fc.constantFrom(1e39, 1e300, 3.5e38),
);

const float32Unrepresentable: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, hidden, samples, optimizerName, unrepresentable, fc.boolean())
  .map(([f, h, n, name, value, onEpsilon]) => {
    const epsilon = onEpsilon && ['adam', 'adamw', 'rmsprop', 'adagrad'].includes(name);
    return {
      case: 'float32-unrepresentable' as const,
      source: render({
        model: [`input(shape: [${f}])`, ...h, 'dense(1)'],
        source: `random(samples: ${n}, features: ${f}, targets: 1)`,
        loss: 'mse',
        optimizer: epsilon ? `${name}(lr: 0.001, epsilon: ${value})` : `${name}(lr: ${value})`,
      }),
      file: FILE,
      expect: { code: 'E0405', severity: 'error' as const, text: 'float32' },
    };
  });

const absurdLearningRate: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, samples, optimizerName, fc.oneof(fc.double({ min: 10.5, max: 1e30, noNaN: true }), fc.double({ min: 1.2e-38, max: 9e-9, noNaN: true })))
  .map(([f, n, name, lr]) => ({
    case: 'absurd-learning-rate' as const,
    source: render({ model: [`input(shape: [${f}])`, 'dense(1)'], source: `random(samples: ${n}, features: ${f}, targets: 1)`, loss: 'mse', optimizer: `${name}(lr: ${lr})` }),
    file: FILE,
    expect: { code: 'W0401', severity: 'warning' as const, text: 'learning rate' },
  }));

const shuffleFalseSorted: fc.Arbitrary<SemanticSpec> = fc.tuple(ratioSplit, fc.boolean(), hidden, sane).map(([split, classes, h, optimizer]) => ({
  case: 'shuffle-false-sorted' as const,
  source: render(
    classes
      ? { model: ['input(shape: [2])', ...h, 'dense(3, activation: softmax)'], source: 'csv("data/classes-sorted.csv", label: kind, categorical: true)', split, dataExtra: ['shuffle: false'], loss: 'sparse_categorical_cross_entropy', optimizer }
      : { model: ['input(shape: [2])', ...h, 'dense(1)'], source: 'csv("data/values-sorted.csv", label: price)', split, dataExtra: ['shuffle: false'], loss: 'mse', optimizer },
  ),
  file: FILE,
  expect: { code: 'W0501', severity: 'warning' as const, text: 'shuffle: false' },
}));

const classNamesNotCategorical: fc.Arbitrary<SemanticSpec> = fc.tuple(hidden, regressionLoss, sane).map(([h, loss, optimizer]) => ({
  case: 'class-names-not-categorical' as const,
  source: render({ model: ['input(shape: [2])', ...h, 'dense(1)'], source: 'csv("data/classes-sorted.csv", label: kind)', loss, optimizer }),
  file: FILE,
  expect: { code: 'E0511', severity: 'error' as const, text: 'categorical: true' },
}));

const percentSplit: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, samples, fc.integer({ min: 1, max: 98 }), fc.integer({ min: 0, max: 97 }))
  .filter(([, , train, validation]) => train + validation <= 99 && train > 1)
  .map(([f, n, train, validation]) => ({
    case: 'percent-split' as const,
    source: render({ model: [`input(shape: [${f}])`, 'dense(1)'], source: `random(samples: ${n}, features: ${f}, targets: 1)`, split: `train: ${train}, validation: ${validation}, test: ${100 - train - validation}`, loss: 'mse', optimizer: 'adam' }),
    file: FILE,
    expect: { code: 'E0402', severity: 'error' as const, text: 'percentages' },
  }));

const base = (f: number, n: number): Parts => ({
  model: [`input(shape: [${f}])`, 'dense(4, activation: relu)', 'dense(1)'],
  source: `random(samples: ${n}, features: ${f}, targets: 1)`,
  loss: 'mse',
  optimizer: 'adam(lr: 0.01)',
  train: ['epochs: 3', 'batch: 4'],
});

const equalsForColon: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, samples, fc.constantFrom('epochs', 'batch', 'activation', 'lr'), fc.constantFrom('=', ' = ', '= '))
  .map(([f, n, where, eq]) => {
    const text = render(base(f, n));
    const source =
      where === 'epochs' ? text.replace('epochs: 3', `epochs${eq}3`) : where === 'batch' ? text.replace('batch: 4', `batch${eq}4`) : where === 'activation' ? text.replace('activation: relu', `activation${eq}relu`) : text.replace('lr: 0.01', `lr${eq}0.01`);
    return { case: 'equals-for-colon' as const, source, file: FILE, expect: { code: 'E0004', severity: 'error' as const, text: "write '" } };
  });

/** Removes one closing bracket: the diagnostic is at an opening one, never at the end of the file. */
const unclosedBracket: fc.Arbitrary<SemanticSpec> = fc.tuple(features, samples, fc.nat()).map(([f, n, pick]) => {
  const text = render(base(f, n));
  const closers = [...text.matchAll(/[)}\]]/g)].map((m) => m.index!);
  const at = closers[pick % closers.length]!;
  return {
    case: 'unclosed-bracket' as const,
    source: text.slice(0, at) + text.slice(at + 1),
    file: FILE,
    expect: { code: text[at] === '}' ? 'E0005' : 'E0004|E0005', severity: 'error' as const, text: 'is never closed' },
  };
});

const foreignNames: ReadonlyArray<[string, string, string]> = [
  ['lr: 0.01', 'learning_rate: 0.01', "Did you mean 'lr'?"],
  ['batch: 4', 'batch_size: 4', "Did you mean 'batch'?"],
  ['epochs: 3', 'num_epochs: 3', "Did you mean 'epochs'?"],
  ['epochs: 3', 'epochs: 3\n  metrics: [acc]', "Did you mean 'accuracy'?"],
  ['adam(lr: 0.01)', 'sgd(lr: 0.01, momentum: 0.9)', "Did you mean 'momentum("],
  ['dense(4, activation: relu)', 'dense(4)\n  ReLU()', "Did you mean 'activation(relu)'?"],
  ['dense(4, activation: relu)', 'Linear(4)', "Did you mean 'dense'?"],
  ['loss: mse', 'loss: mean_squared_error', "Did you mean 'mse'?"],
  ['loss: mse', 'loss: MSELoss', "Did you mean 'mse'?"],
  ['optimizer: adam(lr: 0.01)', 'optimizer: adam(lr: 0.01)\nschedule: cosine_decay(steps: 10)', "Did you mean 'cosine'?"],
  ['optimizer: adam(lr: 0.01)', 'optimizer: adam(lr: 0.01)\nschedule: ReduceLROnPlateau', "Did you mean 'plateau'?"],
  ['train {', 'trainer {', "Did you mean 'train'?"],
  ['dense(4, activation: relu)', 'dense(4, activation: relu, kernel_initializer: he_normal)', "Did you mean 'initializer'?"],
];

const foreignName: fc.Arbitrary<SemanticSpec> = fc.tuple(features, samples, fc.constantFrom(...foreignNames)).map(([f, n, [from, to, text]]) => ({
  case: 'foreign-name' as const,
  source: render(base(f, n)).replace(from, to),
  file: FILE,
  expect: { code: 'E010[1-4]', severity: 'error' as const, text },
}));

const tooManySteps: fc.Arbitrary<SemanticSpec> = fc
  .tuple(features, fc.integer({ min: 20, max: 200 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 10_000_001, max: Number.MAX_SAFE_INTEGER }))
  .map(([f, n, batch, epochs]) => ({
    case: 'too-many-steps' as const,
    source: render({ ...base(f, n), train: [`epochs: ${epochs}`, `batch: ${batch}`] }),
    file: FILE,
    expect: { code: 'E0406', severity: 'error' as const, text: 'optimizer steps' },
  }));

const generatedTooLarge: fc.Arbitrary<SemanticSpec> = fc
  .tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 10_000_001, max: 1e12 }), fc.constantFrom('random', 'sine', 'sequence'))
  .map(([width, samples, kind]) => {
    const source = kind === 'random' ? `random(samples: ${samples}, features: ${width}, targets: 1)` : kind === 'sine' ? `sine(samples: ${samples}, window: ${width})` : `sequence(task: copy, samples: ${samples}, length: ${width}, vocab: 8)`;
    return {
      case: 'generated-too-large' as const,
      source: render({ model: [`input(shape: [${width}])`, 'dense(1)'], source, loss: 'mse', optimizer: 'adam' }),
      file: FILE,
      expect: { code: 'E0529', severity: 'error' as const, text: 'would generate' },
    };
  });

const int32OnRealCsv: fc.Arbitrary<SemanticSpec> = fc.tuple(fc.integer({ min: 10, max: 50 }), fc.integer({ min: 2, max: 8 })).map(([vocab, dim]) => ({
  case: 'int32-on-real-csv' as const,
  source: render({
    model: ['input(shape: [4], dtype: int32)', `embedding(vocab: ${vocab}, dim: ${dim})`, 'flatten', 'dense(2, activation: softmax)'],
    source: 'csv("data/tokens-real.csv", label: label, categorical: true)',
    loss: 'sparse_categorical_cross_entropy',
    optimizer: 'adam',
  }),
  file: FILE,
  expect: { code: 'E0606', severity: 'error' as const, text: 'holds `2.5` (data row 3)' },
}));

export const semanticSpec: fc.Arbitrary<SemanticSpec> = fc.oneof(
  regressionOnClasses,
  classMetricOnRegression,
  float32Unrepresentable,
  absurdLearningRate,
  shuffleFalseSorted,
  classNamesNotCategorical,
  percentSplit,
  equalsForColon,
  unclosedBracket,
  foreignName,
  tooManySteps,
  generatedTooLarge,
  int32OnRealCsv,
);

/** Why the diagnostics miss the case's expected one, or null when it is there. `code` may be a regular expression. */
export function semanticMismatch(spec: SemanticSpec, diagnostics: readonly Diagnostic[]): string | null {
  const code = new RegExp(`^(?:${spec.expect.code})$`);
  const found = diagnostics.find((d) => code.test(d.code) && d.severity === spec.expect.severity && (spec.expect.text === undefined || d.message.includes(spec.expect.text)));
  if (found) return null;
  const got = diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column} ${d.message}`).join('\n  ');
  return `${spec.case}: expected ${spec.expect.severity} ${spec.expect.code}${spec.expect.text ? ` containing "${spec.expect.text}"` : ''}, got:\n  ${got || '(no diagnostics)'}`;
}
