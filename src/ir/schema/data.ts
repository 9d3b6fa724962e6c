/** Schemas of the data sources and of the `data { ... }` and `split { ... }` sections; their defaults are the runtime's table (runtime/data/defaults.ts). */
import type { DataSource } from '../types.js';
import { PIPELINE_DEFAULTS, SOURCE_DEFAULTS, SPLIT_DEFAULTS } from '../../runtime/data/defaults.js';
import { atLeastOne, byDefault, derived, nonNegative, positive, ratio, required, type CallSchema, type SectionSchema } from './types.js';

const int = { kind: 'int' } as const;
const number = { kind: 'number' } as const;
const bool = { kind: 'bool' } as const;

export const sourceSchemas: Record<DataSource['kind'], CallSchema> = {
  random: {
    name: 'random',
    doc: 'Uniform random numbers: X ~ U[0, 1) of [samples, features]; y ~ U[0, 1) of [samples, targets], or class indices in 0 .. classes - 1 when classes > 0.',
    positional: ['samples', 'features'],
    options: [
      { name: 'samples', type: int, default: required, domain: atLeastOne, doc: 'Number of samples.' },
      { name: 'features', type: int, default: required, domain: atLeastOne, doc: 'Features per sample.' },
      { name: 'targets', type: int, default: byDefault(SOURCE_DEFAULTS.random.targets), domain: atLeastOne, doc: 'Regression targets per sample.' },
      { name: 'classes', type: int, default: byDefault(SOURCE_DEFAULTS.random.classes), domain: nonNegative, doc: 'When > 0, y holds class indices instead of targets.' },
    ],
  },
  csv: {
    name: 'csv',
    doc: 'A CSV file, by default comma-separated with a header row; `delimiter`, `quote`, `comment` and `header: false` with `columns` describe other dialects, and evaluate and predict read new data with the same options. A path ending in .gz is gzip-compressed and decompressed on reading (the data hash is of the decompressed text). A file whose text is over 512 MiB is streamed (see `stream`). The path is relative to the spec file\'s folder.',
    positional: ['path', 'label'],
    options: [
      { name: 'path', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.path), doc: 'The file, split by the `split { }` ratios; or give `train` (and `validation`, `test`) instead.' },
      { name: 'train', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.train), doc: 'A file of training rows only, instead of `path`; the data is then not split (no `split { }` ratios).' },
      { name: 'validation', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.validation), doc: 'With `train`: the file of validation rows.' },
      { name: 'test', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.test), doc: 'With `train`: the file of test rows.' },
      { name: 'label', type: { kind: 'name' }, default: required, doc: 'The column to predict.' },
      { name: 'features', type: { kind: 'names' }, default: byDefault(SOURCE_DEFAULTS.csv.features), doc: 'Feature columns in order; by default every column but the label.' },
      { name: 'categorical', type: bool, default: byDefault(SOURCE_DEFAULTS.csv.categorical), doc: 'Labels are class names, mapped to indices in sorted order.' },
      {
        name: 'missing',
        type: { kind: 'enum', of: 'missing-value rule', values: ['error', 'drop', 'zero', 'mean'] },
        default: byDefault(SOURCE_DEFAULTS.csv.missing),
        doc: 'Empty cells: report an error, drop the row, use 0, or use the column mean.',
      },
      { name: 'delimiter', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.delimiter), doc: 'The one character between cells, e.g. ";" or "\\t".' },
      { name: 'quote', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.quote), doc: 'The one character that quotes a cell holding the delimiter or a line break.' },
      { name: 'comment', type: { kind: 'string' }, default: byDefault(SOURCE_DEFAULTS.csv.comment), doc: 'Lines whose first character is this one are skipped, e.g. "#"; by default no line is a comment.' },
      { name: 'header', type: bool, default: byDefault(SOURCE_DEFAULTS.csv.header), doc: 'The first line names the columns; with false, every line is a data row and `columns` names the columns.' },
      { name: 'columns', type: { kind: 'names' }, default: byDefault(SOURCE_DEFAULTS.csv.columns), doc: 'Names of the columns of a file without a header line (`header: false`), in file order.' },
      { name: 'category', type: { kind: 'names' }, default: byDefault(SOURCE_DEFAULTS.csv.category), doc: 'Feature columns of text values (such as city names): each becomes a vocabulary learned from the training split, with id 0 for values it lacks; one-hot in a float32 input, one id in an int32 input (for embedding).' },
      { name: 'binary', type: { kind: 'names' }, default: byDefault(SOURCE_DEFAULTS.csv.binary), doc: 'Feature columns of exactly two text values (such as yes/no): 0 for the first in sorted order, 1 for the other.' },
      { name: 'stream', type: bool, default: byDefault(SOURCE_DEFAULTS.csv.stream), doc: 'Read the file in chunks, never whole, every epoch (data larger than memory): rows are split by a seeded hash of their line and shuffled through a buffer of `shuffle_buffer` rows. By default only a file over 512 MiB, too large to read at once, is streamed; false never streams.' },
      { name: 'shuffle_buffer', type: int, default: byDefault(SOURCE_DEFAULTS.csv.shuffle_buffer), domain: atLeastOne, doc: 'Rows of the seeded shuffle buffer of streamed data: more rows shuffle better and take more memory.' },
    ],
  },
  sequence: {
    name: 'sequence',
    doc: 'Random token sequences (ids 0 .. vocab - 1) for sequence models; y is x reversed, sorted or copied, per token.',
    positional: ['task'],
    options: [
      { name: 'task', type: { kind: 'enum', of: 'task', values: ['reverse', 'sort', 'copy'] }, default: required, doc: 'What y is.' },
      { name: 'samples', type: int, default: required, domain: atLeastOne, doc: 'Number of sequences.' },
      { name: 'length', type: int, default: required, domain: atLeastOne, doc: 'Tokens per sequence.' },
      { name: 'vocab', type: int, default: required, domain: atLeastOne, doc: 'Number of distinct tokens.' },
    ],
  },
  sine: {
    name: 'sine',
    doc: 'Windows of a noisy sine wave; y is the value after each window.',
    positional: ['samples', 'window'],
    options: [
      { name: 'samples', type: int, default: required, domain: atLeastOne, doc: 'Number of windows.' },
      { name: 'window', type: int, default: required, domain: atLeastOne, doc: 'Values per window (the features).' },
      { name: 'noise', type: number, default: byDefault(SOURCE_DEFAULTS.sine.noise), domain: nonNegative, doc: 'Standard deviation of added Gaussian noise.' },
      { name: 'period', type: number, default: byDefault(SOURCE_DEFAULTS.sine.period), domain: positive, doc: 'Period of the wave, in samples.' },
    ],
  },
  images: {
    name: 'images',
    doc: 'A folder with one subfolder per class (the subfolder\'s name is the class name, indexed in sorted order), each holding PNG or JPEG files; every image is converted to `channels`, resized to `size` (bilinear) and scaled to [0, 1]. The path is relative to the spec file\'s folder.',
    positional: ['path'],
    options: [
      { name: 'path', type: { kind: 'string' }, default: required, doc: 'The folder of class subfolders, e.g. "data/flowers" holding daisy/ and rose/.' },
      { name: 'size', type: { kind: 'int_pair' }, default: required, domain: { min: 1, max: 1024 }, doc: 'The [height, width] every image is resized to (bilinear, half-pixel centres); one number n means [n, n].' },
      { name: 'channels', type: int, default: byDefault(SOURCE_DEFAULTS.images.channels), doc: '1 (grey: the luma 0.299 R + 0.587 G + 0.114 B) or 3 (RGB); alpha is ignored.' },
      { name: 'stream', type: bool, default: byDefault(SOURCE_DEFAULTS.images.stream), doc: 'Decode the training images batch by batch every epoch instead of holding them all (a folder larger than memory): the same split and the same batches as in memory; validation and test images are kept decoded. By default only a folder over 10,000,000 numbers is streamed; false never streams.' },
    ],
  },
};


export const splitSchema: SectionSchema = {
  name: 'split',
  doc: 'Fractions of the samples used for training, validation and test; they must sum to 1.',
  options: [
    { name: 'train', type: number, default: derived('1 - validation - test'), domain: ratio, doc: 'Training fraction.' },
    { name: 'validation', type: number, default: byDefault(SPLIT_DEFAULTS.validation), domain: ratio, doc: 'Validation fraction (needed by val_ monitors).' },
    { name: 'test', type: number, default: byDefault(SPLIT_DEFAULTS.test), domain: ratio, doc: 'Test fraction, evaluated after training.' },
    { name: 'stratify', type: bool, default: byDefault(SPLIT_DEFAULTS.stratify), doc: 'Keep class proportions equal across the splits (class labels only).' },
  ],
  sections: [],
  derive: (config) => {
    if (config.train === undefined) {
      const rest = (config.validation as number) + (config.test as number);
      config.train = Math.max(0, 1 - rest);
    }
  },
};

export const dataSchema: SectionSchema = {
  name: 'data',
  doc: 'Where the samples come from and how they are prepared.',
  options: [
    { name: 'source', type: { kind: 'call', family: 'source' }, default: required, doc: 'The data source.' },
    { name: 'reshape', type: { kind: 'ints' }, default: byDefault(PIPELINE_DEFAULTS.reshape), domain: atLeastOne, doc: 'New shape of each sample\'s features, e.g. 64 pixels -> [8, 8, 1]; by default a sample keeps the source\'s shape.' },
    {
      name: 'normalize',
      type: { kind: 'enum', of: 'normalization', values: ['none', 'zscore', 'minmax'] },
      default: byDefault(PIPELINE_DEFAULTS.normalize),
      doc: 'Per-feature scaling computed on the training split: zscore (mean 0, std 1) or minmax (into [0, 1]).',
    },
    { name: 'shuffle', type: bool, default: byDefault(PIPELINE_DEFAULTS.shuffle), doc: 'Shuffle the rows before splitting, and the training split every epoch; false keeps file order for both (the first rows train, the last ones test).' },
    { name: 'seed', type: int, default: byDefault(PIPELINE_DEFAULTS.seed), domain: nonNegative, doc: 'Seed for splitting and shuffling; by default the run\'s seed (train.seed).' },
  ],
  sections: [splitSchema],
};
