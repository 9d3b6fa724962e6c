/**
 * The one table of the data section's defaults: the language's schema (src/ir/schema/data.ts)
 * takes its defaults from here, and a compiled program's data calls (csvData, ..., dataPipeline)
 * fill in from here the options its train.ts leaves out, so train.ts shows only what the spec
 * changed. Each source's entry lists its options in the schema's order; a required option is
 * listed as undefined (it keeps its place in the config, and must be given).
 */
import type {
  DataCsvConfig,
  DataImagesConfig,
  DataPipelineConfig,
  DataRandomConfig,
  DataSequenceConfig,
  DataSineConfig,
  DataSourceConfig,
  DataSplitConfig,
} from './config.js';
import type { PrepareDataConfig } from './prepare.js';

/** Each source's options (without `kind`), in order: the default, or undefined when required. */
export const SOURCE_DEFAULTS = {
  random: { samples: undefined, features: undefined, targets: 1, classes: 0 },
  csv: {
    path: null,
    train: null,
    validation: null,
    test: null,
    label: undefined,
    features: null,
    categorical: false,
    missing: 'error',
    delimiter: ',',
    quote: '"',
    comment: null,
    header: true,
    columns: null,
    category: null,
    binary: null,
    stream: null,
    shuffle_buffer: 10000,
  },
  sequence: { task: undefined, samples: undefined, length: undefined, vocab: undefined },
  sine: { samples: undefined, window: undefined, noise: 0, period: 25 },
  images: { path: undefined, size: undefined, channels: 3, stream: null },
} as const satisfies { [K in DataSourceConfig['kind']]: Record<string, unknown> };

/** `split { }`: train is derived (1 - validation - test) when not given. */
export const SPLIT_DEFAULTS = { train: 1, validation: 0, test: 0, stratify: false } as const satisfies DataSplitConfig;

/** The rest of the data section (one_hot and binary_labels follow from the loss, not the spec). */
export const PIPELINE_DEFAULTS = {
  reshape: null,
  normalize: 'none',
  one_hot: false,
  binary_labels: false,
  split: SPLIT_DEFAULTS,
  shuffle: true,
  seed: null,
} as const satisfies DataPipelineConfig;

/**
 * Options that are left out of a source's config when unset (null), rather than written as null:
 * a spec without typed columns lowers to exactly the config it had before they existed.
 */
export const OMITTED_WHEN_NULL: { readonly [K in DataSourceConfig['kind']]?: readonly string[] } = { csv: ['category', 'binary'] };

/** `config` without the options of OMITTED_WHEN_NULL that are null or undefined. */
export function omitUnsetOptions<T extends { kind: string }>(config: T): T {
  const out: Record<string, unknown> = { ...config };
  for (const option of OMITTED_WHEN_NULL[config.kind as DataSourceConfig['kind']] ?? []) {
    if (out[option] === null || out[option] === undefined) delete out[option];
  }
  return out as T;
}

type Kind = DataSourceConfig['kind'];
type ConfigOf<K extends Kind> = Extract<DataSourceConfig, { kind: K }>;
/** A source's options as a program writes them: the required ones, and any others that differ from their defaults. */
type Given<K extends Kind> = Omit<ConfigOf<K>, 'kind' | OptionalKeys<K>> & Partial<Pick<ConfigOf<K>, OptionalKeys<K>>>;
type OptionalKeys<K extends Kind> = {
  [O in keyof (typeof SOURCE_DEFAULTS)[K]]: (typeof SOURCE_DEFAULTS)[K][O] extends undefined ? never : O;
}[keyof (typeof SOURCE_DEFAULTS)[K]] &
  keyof ConfigOf<K>;

function sourceConfig<K extends Kind>(kind: K, given: Given<K>): ConfigOf<K> {
  const filled: Record<string, unknown> = { kind, ...SOURCE_DEFAULTS[kind], ...given };
  const missing = Object.keys(filled).filter((option) => filled[option] === undefined);
  if (missing.length > 0) throw new Error(`The ${kind} data source needs ${missing.join(', ')}; add ${missing.length === 1 ? 'it' : 'them'} to its options.`);
  return omitUnsetOptions(filled as unknown as ConfigOf<K>);
}

export const csvData = (given: Given<'csv'>): DataCsvConfig => sourceConfig('csv', given);
export const randomData = (given: Given<'random'>): DataRandomConfig => sourceConfig('random', given);
export const sequenceData = (given: Given<'sequence'>): DataSequenceConfig => sourceConfig('sequence', given);
export const sineData = (given: Given<'sine'>): DataSineConfig => sourceConfig('sine', given);
export const imagesData = (given: Given<'images'>): DataImagesConfig => sourceConfig('images', given);

/** The data section around a source: the options given (a split in full), the rest from PIPELINE_DEFAULTS. */
export function dataPipeline(source: DataSourceConfig, given: Partial<DataPipelineConfig> = {}): PrepareDataConfig {
  return { source, ...PIPELINE_DEFAULTS, split: { ...SPLIT_DEFAULTS }, ...given };
}

/** The options of `config` a program must write: the required ones and those that differ from `defaults`. */
export function optionsToWrite(config: Record<string, unknown>, defaults: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).filter(([option, value]) => option !== 'kind' && (!(option in defaults) || defaults[option] === undefined || JSON.stringify(value) !== JSON.stringify(defaults[option]))),
  );
}
