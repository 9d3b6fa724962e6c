/** Checks that need the loaded table: they compare the data with the data section's options. */
import type { DataPipelineConfig } from './config.js';
import { DataError, dataQuoteList } from './errors.js';
import type { DataTable } from './table.js';

/** The per-sample shape of x: `reshape` when given (its sizes must multiply to the feature count), else the source's. */
export function dataSampleShape(reshape: readonly number[] | null, table: Pick<DataTable, 'sampleShape' | 'featureNames' | 'origin'>): number[] {
  if (reshape === null) return [...table.sampleShape];
  const count = table.featureNames.length;
  const written = `\`reshape: [${reshape.join(', ')}]\``;
  if (reshape.length === 0 || !reshape.every((size) => Number.isInteger(size) && size >= 1)) {
    throw new DataError('E0521', `${written} must list positive whole sizes, such as [8, 8, 1].`, null, null, null, 'reshape');
  }
  const product = reshape.reduce((a, b) => a * b, 1);
  if (product !== count) {
    throw new DataError(
      'E0521',
      `${written} holds ${product} values but each sample of ${table.origin} has ${count} features; use sizes that multiply to ${count}.`,
      null,
      null,
      null,
      'reshape',
    );
  }
  return [...reshape];
}

/** Options that do not fit the kind of data: normalising token ids, label layouts, stratifying real values. */
export function dataCheckOptions(config: DataPipelineConfig, table: DataTable): void {
  const { labels } = table;
  if (table.dtype === 'int32' && config.normalize !== 'none') {
    throw new DataError(
      'E0526',
      `\`normalize: ${config.normalize}\` cannot apply to the token ids of ${table.origin}; remove \`normalize\` from the data section.`,
      null,
      null,
      null,
      'normalize',
    );
  }
  if (config.one_hot && labels.kind === 'values') {
    throw new DataError(
      'E0524',
      `Categorical cross-entropy needs class labels, but the labels of ${table.origin} are real values; set \`categorical: true\` if they are class names, or use a regression loss.`,
      null,
      null,
      null,
      'label',
    );
  }
  if (config.binary_labels === true && !config.one_hot && labels.kind === 'tokens') {
    throw new DataError(
      'E0524',
      `Binary cross-entropy needs one class per sample, but ${table.origin} has one class per token; use sparse_categorical_cross_entropy.`,
      null,
      null,
      null,
      'label',
    );
  }
  if (config.binary_labels === true && !config.one_hot && labels.kind === 'classes' && labels.count > 2) {
    const names = labels.names ?? Array.from({ length: labels.count }, (_, i) => String(i));
    throw new DataError(
      'E0524',
      `Binary cross-entropy needs two classes, but \`${table.labelName}\` of ${table.origin} has ${labels.count} (${dataQuoteList(names)}); use sparse_categorical_cross_entropy with one output per class.`,
      null,
      null,
      null,
      'label',
    );
  }
  if (config.split.stratify && labels.kind !== 'classes') {
    const what = labels.kind === 'values' ? 'real values' : 'token sequences';
    throw new DataError(
      'E0523',
      `\`stratify: true\` needs one class label per sample, but the labels of ${table.origin} are ${what}; set \`categorical: true\` if they are class names, or remove \`stratify\`.`,
      null,
      null,
      null,
      'stratify',
    );
  }
}
