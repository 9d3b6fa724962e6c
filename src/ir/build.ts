/**
 * AST -> IR. Fills every default, records the span of every written option, and reports every
 * structural problem it finds (unknown names with suggestions, wrong types, missing or duplicate
 * options) in one pass. The IR is null only when something required is missing or unusable.
 */
import { fileStartSpan, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { Item, Property, Section, SpecFile } from '../syntax/ast.js';
import { buildCall, type BuiltCall } from './build-call.js';
import { BuildContext, showValue } from './build-context.js';
import { buildModel } from './build-model.js';
import { readSection } from './build-section.js';
import { dataSchema, trainSchema, topLevelEntries } from './schema/index.js';
import { describeType, type CallFamily } from './schema/types.js';
import { didYouMean } from './suggest.js';
import type { ClipIR, DataIR, LossIR, ModelIR, OptimizerIR, ScheduleIR, SpecIR, SplitIR, TrainIR } from './types.js';

export function buildIR(ast: SpecFile, file: string): { ir: SpecIR | null; diagnostics: Diagnostic[] } {
  const ctx = new BuildContext(file);
  const items = collectTopLevel(ast.items, ctx);

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
  // Written but unusable optional items (an unknown clip rule, say) also leave no IR.
  const unusableOptional = (items.clip && !clip) || (items.schedule && !scheduleItem) || !train;
  if (!ctx.usable || !model || !loss || !optimizer || !data || unusableOptional) {
    return { ir: null, diagnostics: ctx.diagnostics };
  }
  const schedule: ScheduleIR = scheduleItem ?? ({ kind: 'constant', span: fileStartSpan, spans: {} } as ScheduleIR);
  return { ir: { file, model, data, loss, optimizer, clip, schedule, train: train!, span: ast.span }, diagnostics: ctx.diagnostics };
}

const example: Record<string, string> = {
  model: 'a model { ... } section starting with input(shape: [...])',
  data: 'a data { source: ... } section',
  loss: 'e.g. loss: mse',
  optimizer: 'e.g. optimizer: adam(lr: 0.001)',
};

type TopLevelItems = Partial<Record<string, Property | Section>>;

/** Checks each top-level item's name, shape (section or property) and uniqueness. */
function collectTopLevel(items: readonly Item[], ctx: BuildContext): TopLevelItems {
  const found: TopLevelItems = {};
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
      ctx.error('E0101', `Unknown ${what} '${name}'.${didYouMean(name, names)}`, item.key.span, [`A spec holds: ${names.join(', ')}.`]);
      continue;
    }
    if (found[name]) {
      ctx.error('E0107', `'${name}' appears more than once; merge the two into one.`, item.key.span);
      continue;
    }
    if (entry.shape === 'section' && item.kind !== 'section') {
      ctx.fatal('E0110', `'${name}' is a section: write ${name} { ... }.`, item.key.span);
      continue;
    }
    if (entry.shape === 'property' && item.kind !== 'property') {
      ctx.fatal('E0110', `'${name}' is a property: write ${name}: value.`, item.key.span);
      continue;
    }
    found[name] = item;
  }
  return found;
}

function callProperty(item: Property | Section | undefined, family: CallFamily, ctx: BuildContext): BuiltCall | null {
  if (!item || item.kind !== 'property') return null;
  const value = item.value;
  if (value.kind !== 'ident' && value.kind !== 'call') {
    ctx.error('E0105', `'${item.key.name}' expects ${describeType({ kind: 'call', family })}, got ${showValue(value)}.`, value.span);
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

