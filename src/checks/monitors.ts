/** The metrics that stop rules and reduce-on-plateau watch. */
import type { Span } from '../diagnostics/diagnostic.js';
import type { PartialSpecIR } from '../ir/build.js';
import type { ScheduleIR } from '../ir/types.js';

export interface Monitor {
  name: string;
  /** Who watches it, for messages: "early stopping". */
  owner: string;
  span: Span;
}

/** The monitors of the schedule and the stop rule, of those two that are present. */
export function monitors(ir: PartialSpecIR): Monitor[] {
  const found: Monitor[] = [];
  for (let s: ScheduleIR | null = ir.schedule ?? null; s; s = s.kind === 'warmup' ? s.then : null) {
    if (s.kind === 'plateau') found.push({ name: s.monitor, owner: 'the plateau schedule', span: s.spans.monitor ?? s.span });
  }
  const stop = ir.train?.stop;
  if (!stop) return found;
  if (stop.kind === 'early') found.push({ name: stop.monitor, owner: 'early stopping', span: stop.spans.monitor ?? stop.span });
  if (stop.kind === 'converged') found.push({ name: stop.monitor, owner: 'the converged stop rule', span: stop.spans.monitor ?? stop.span });
  return found;
}
