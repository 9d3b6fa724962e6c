/**
 * Every object of the IR whose options come from a schema, with that schema: layer nodes, the
 * data source, the data, split and train sections, loss, optimizer, clip, schedules (nested
 * ones too) and the stop rule. Rules that check options generically walk this list.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import { callSchemas, dataSchema, splitSchema, trainSchema } from '../ir/schema/index.js';
import type { OptionSchema } from '../ir/schema/types.js';
import type { PartialSpecIR } from '../ir/build.js';
import type { ScheduleIR } from '../ir/types.js';

export interface OptionHolder {
  /** How messages name it: `dense 'dense_1'`, `adam`, `the train section`. */
  label: string;
  options: readonly OptionSchema[];
  values: Readonly<Record<string, unknown>>;
  spans: Readonly<Record<string, Span | undefined>>;
  span: Span;
}

/** The option holders of every part of the spec that is present. */
export function optionHolders(ir: PartialSpecIR): OptionHolder[] {
  const holders: OptionHolder[] = [];
  const call = (family: keyof typeof callSchemas, object: { kind: string; span: Span; spans: object }, label = object.kind): void => {
    const schema = callSchemas[family][object.kind];
    if (schema) holders.push({ label, options: schema.options, values: object as unknown as Record<string, unknown>, spans: object.spans as Record<string, Span>, span: object.span });
  };
  for (const node of ir.model?.nodes ?? []) {
    call('layer', { kind: node.kind, span: node.span, spans: node.spans, ...node.config } as never, `${node.kind} '${node.name}'`);
  }
  if (ir.data) {
    call('source', ir.data.source);
    holders.push({ label: 'the data section', options: dataSchema.options, values: ir.data as unknown as Record<string, unknown>, spans: ir.data.spans, span: ir.data.span });
    holders.push({ label: 'the split section', options: splitSchema.options, values: ir.data.split as unknown as Record<string, unknown>, spans: ir.data.split.spans, span: ir.data.split.span });
  }
  if (ir.loss) call('loss', ir.loss);
  if (ir.optimizer) call('optimizer', ir.optimizer);
  if (ir.clip) call('clip', ir.clip);
  for (let schedule: ScheduleIR | null = ir.schedule ?? null; schedule; schedule = schedule.kind === 'warmup' ? schedule.then : null) {
    call('schedule', schedule);
  }
  if (ir.train) {
    holders.push({ label: 'the train section', options: trainSchema.options, values: ir.train as unknown as Record<string, unknown>, spans: ir.train.spans, span: ir.train.span });
    call('stop', ir.train.stop);
  }
  return holders;
}
