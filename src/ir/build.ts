/**
 * AST -> IR. Fills every default, records the span of every written option, and reports every
 * structural problem it finds (unknown names with suggestions, wrong types, missing or duplicate
 * options) in one pass. The IR is null only when something required is missing or unusable; the
 * partial IR beside it still holds every part that could be built.
 */
import { fileStartSpan, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Item, Property, Section, SpecFile } from '../syntax/ast.js';
import { buildCall, type BuiltCall } from './build-call.js';
import { BuildContext, showValue } from './build-context.js';
import { buildModel } from './build-model.js';
import { readSection } from './build-section.js';
import { dataSchema, trainSchema, topLevelEntries } from './schema/index.js';
import { describeType, type CallFamily } from './schema/types.js';
import { suggestName } from './aliases.js';
import type { ClipIR, DataIR, LossIR, ModelIR, OptimizerIR, ScheduleIR, SpecIR, SplitIR, TrainIR } from './types.js';

/** The parts of a spec that are built (and can be unusable) one by one. */
export type SpecPart = 'model' | 'data' | 'loss' | 'optimizer' | 'clip' | 'schedule' | 'train';

/**
 * The parts of a spec that could be built: a part that is missing or unusable (already
 * reported) is absent, the others are exactly as in a full SpecIR. Checks run on it so that one
 * unusable part does not hide the problems of the others.
 */
export type PartialSpecIR = Pick<SpecIR, 'file' | 'span'> & Partial<Pick<SpecIR, SpecPart>>;

export interface BuiltSpec {
  /** The whole IR, or null when any part is missing or unusable. */
  ir: SpecIR | null;
  /** Every usable part; the same object as `ir` when that is not null. */
  partial: PartialSpecIR;
  diagnostics: Diagnostic[];
}

export function buildIR(ast: SpecFile, file: string): BuiltSpec {
  const ctx = new BuildContext(file);
  const { items, misshapen } = collectTopLevel(ast.items, ctx);

  const model = items.model?.kind === 'section' ? buildModel(items.model.items, items.model.span, ctx) : null;
  const loss = callProperty(items.loss, 'loss', ctx) as LossIR | null;
  const optimizer = callProperty(items.optimizer, 'optimizer', ctx) as OptimizerIR | null;
  const clip = callProperty(items.clip, 'clip', ctx) as ClipIR | null;
  const scheduleItem = callProperty(items.schedule, 'schedule', ctx) as ScheduleIR | null;
  const data = items.data?.kind === 'section' ? buildData(items.data, loss, ctx) : null;
  const train = buildTrain(items.train, ctx);

  for (const entry of topLevelEntries) {
    if (entry.required && !items[entry.name]) {
      ctx.fatal('E0106', `The spec has no ${entry.name}; add ${example[entry.name]}.`, fileStartSpan);
    }
  }
  const defaultSchedule = { kind: 'constant', span: fileStartSpan, spans: {} } as ScheduleIR;
  // Optional items that were not written take their defaults; written but unusable ones (an
  // unknown clip rule, `train: 5`) are absent like unusable required ones.
  const parts: Partial<Pick<SpecIR, SpecPart>> = {
    model: model ?? undefined,
    data: data ?? undefined,
    loss: loss ?? undefined,
    optimizer: optimizer ?? undefined,
    clip: items.clip ? (clip ?? undefined) : null,
    schedule: items.schedule ? (scheduleItem ?? undefined) : defaultSchedule,
    train: train ?? undefined,
  };
  for (const name of misshapen) if (!items[name]) delete parts[name as SpecPart];
  const partial: PartialSpecIR = { file, ...definedOnly(parts), span: ast.span };
  const complete = ctx.usable && specParts.every((part) => part in partial);
  return { ir: complete ? (partial as SpecIR) : null, partial, diagnostics: ctx.diagnostics };
}

const specParts: readonly SpecPart[] = ['model', 'data', 'loss', 'optimizer', 'clip', 'schedule', 'train'];

/** Drops the absent parts, so that `part in ir` says whether a part was built. */
function definedOnly<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const example: Record<string, string> = {
  model: 'a model { ... } section starting with input(shape: [...])',
  data: 'a data { source: ... } section',
  loss: 'e.g. loss: mse',
  optimizer: 'e.g. optimizer: adam(lr: 0.001)',
};

type TopLevelItems = Partial<Record<string, Property | Section>>;

/**
 * Checks each top-level item's name, shape (section or property) and uniqueness. Items of the
 * wrong shape are left out of `items` and named in `misshapen`.
 */
function collectTopLevel(items: readonly Item[], ctx: BuildContext): { items: TopLevelItems; misshapen: Set<string> } {
  const found: TopLevelItems = {};
  const misshapen = new Set<string>();
  const names = topLevelEntries.map((entry) => entry.name);
  for (const item of items) {
    if (item.kind === 'statement') {
      ctx.error('E0110', 'Layer statements belong in the model section: model { ... }.', item.span);
      continue;
    }
    const name = item.key.name;
    const entry = topLevelEntries.find((e) => e.name === name);
    const what = item.kind === 'section' ? 'section' : 'property';
    if (!entry) {
      ctx.error('E0101', `Unknown ${what} '${name}'.${suggestName('section', name, names)}`, item.key.span, [`A spec holds: ${names.join(', ')}.`]);
      continue;
    }
    if (found[name]) {
      ctx.error('E0107', `'${name}' appears more than once; merge the two into one.`, item.key.span);
      continue;
    }
    if (entry.shape === 'section' && item.kind !== 'section') {
      ctx.fatal('E0110', `'${name}' is a section: write ${name} { ... }.`, item.key.span);
      misshapen.add(name);
      continue;
    }
    if (entry.shape === 'property' && item.kind !== 'property') {
      ctx.fatal('E0110', `'${name}' is a property: write ${name}: value.`, item.key.span);
      misshapen.add(name);
      continue;
    }
    found[name] = item;
  }
  return { items: found, misshapen };
}

function callProperty(item: Property | Section | undefined, family: CallFamily, ctx: BuildContext): BuiltCall | null {
  if (!item || item.kind !== 'property') return null;
  const value = item.value;
  if (value.kind !== 'ident' && value.kind !== 'call') {
    const unquoted = value.kind === 'string' ? [`Write it without quotes: ${value.value}.`] : undefined;
    ctx.error('E0105', `'${item.key.name}' expects ${describeType({ kind: 'call', family })}, got ${showValue(value)}.`, value.span, unquoted);
    return null;
  }
  const built = buildCall(family, value, ctx);
  if (!built) ctx.usable = false;
  return built;
}

function buildData(section: Section, loss: LossIR | null, ctx: BuildContext): DataIR | null {
  const built = readSection(section.items, section.span, dataSchema, ctx);
  if (!built.complete || !built.values.source) {
    ctx.usable = false;
    return null;
  }
  const { source, reshape, normalize, shuffle, seed, split } = built.values;
  return {
    source: source as DataIR['source'],
    reshape: reshape as number[] | null,
    normalize: normalize as DataIR['normalize'],
    one_hot: loss?.kind === 'categorical_cross_entropy',
    split: split as SplitIR,
    shuffle: shuffle as boolean,
    seed: seed as number | null,
    spans: built.spans,
    span: section.span,
  };
}

function buildTrain(item: Property | Section | undefined, ctx: BuildContext): TrainIR | null {
  const section = item?.kind === 'section' ? item : null;
  const span: Span = section ? section.span : fileStartSpan;
  const built = readSection(section ? section.items : [], span, trainSchema, ctx);
  if (!built.complete) return null;
  return { ...(built.values as Omit<TrainIR, 'span' | 'spans'>), spans: built.spans, span };
}

