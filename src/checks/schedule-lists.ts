import { diagnostic, type Diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { ScheduleIR } from '../ir/types.js';
import { defineRule } from './rule.js';

/** Every schedule of the spec: the top one and warm-up's `then`, recursively. */
function schedules(top: ScheduleIR): ScheduleIR[] {
  const all: ScheduleIR[] = [];
  for (let s: ScheduleIR | null = top; s; s = s.kind === 'warmup' ? s.then : null) all.push(s);
  return all;
}

const increasing = (values: readonly number[]): boolean => values.every((v, i) => i === 0 || v > values[i - 1]!);

export const scheduleLists = defineRule({
  id: 'schedule-lists',
  description: 'piecewise has one more value than boundaries; boundaries and multistep milestones strictly increase.',
  needs: ['schedule'],
  check(ir, { file }) {
    const found: Diagnostic[] = [];
    for (const schedule of schedules(ir.schedule)) {
      const at = (option: string): Span => schedule.spans[option] ?? schedule.span;
      if (schedule.kind === 'piecewise') {
        const { boundaries, values } = schedule;
        if (values.length !== boundaries.length + 1) {
          const message = `piecewise has ${boundaries.length} boundaries, so it needs ${boundaries.length + 1} values (one per interval), got ${values.length}.`;
          found.push(diagnostic('E0403', 'error', message, file, at('values')));
        }
        if (!increasing(boundaries)) {
          found.push(diagnostic('E0404', 'error', `The boundaries of piecewise must strictly increase, got [${boundaries.join(', ')}].`, file, at('boundaries')));
        }
      }
      if (schedule.kind === 'multistep' && !increasing(schedule.milestones)) {
        found.push(diagnostic('E0404', 'error', `The milestones of multistep must strictly increase, got [${schedule.milestones.join(', ')}].`, file, at('milestones')));
      }
    }
    return found;
  },
});
