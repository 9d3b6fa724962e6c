/** The files a run writes into its folder (src/runtime/program.ts), for `mlspec plan`. */

export const RUN_FILES: readonly { file: string; what: string }[] = [
  { file: 'metrics.jsonl', what: 'loss and learning rate of every step, metrics of every epoch' },
  { file: 'summary.json', what: 'final train/validation/test metrics, backend, wall time, hashes, seed' },
  { file: 'model/model.json', what: 'the trained model, tfjs layers format (with model/weights.bin)' },
  { file: 'model/weights.bin', what: 'the trained weights' },
  { file: 'preprocessing.json', what: 'class names, normalization, feature names, missing-value fill, typed columns\' vocabularies' },
  { file: 'split.json', what: 'the rows of each split (train, validation, test), for evaluate --split' },
  { file: 'checkpoint.bin', what: 'the latest checkpoint, for --resume' },
  { file: 'report.html', what: 'plots, results, confusion matrix, model and spec in one page' },
  { file: 'spec.mlspec', what: 'the spec that was run' },
];
