/** The metrics that stop rules and reduce-on-plateau watch. */
import type { Span } from '../diagnostics/diagnostic.js';
import type { ScheduleIR, SpecIR } from '../ir/types.js';

export interface Monitor {
  name: string;
  /** Who watches it, for messages: "early stopping". */
  owner: string;
  span: Span;
}

export function monitors(ir: SpecIR): Monitor[] {
  const found: Monitor[] = [];
  for (let s: ScheduleIR | null = ir.schedule; s; s = s.kind === 'warmup' ? s.then : null) {
    if (s.kind === 'plateau') found.push({ name: s.monitor, owner: 'the plateau schedule', span: s.spans.monitor ?? s.span });
  }
  const stop = ir.train.stop;
  if (stop.kind === 'early') found.push({ name: stop.monitor, owner: 'early stopping', span: stop.spans.monitor ?? stop.span });
  if (stop.kind === 'converged') found.push({ name: stop.monitor, owner: 'the converged stop rule', span: stop.spans.monitor ?? stop.span });
  return found;
}
