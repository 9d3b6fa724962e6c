import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { metricNames } from '../ir/schema/enums.js';
import { findAlias } from '../ir/aliases.js';
import { closestName } from '../ir/suggest.js';
import { monitors } from './monitors.js';
import { defineRule } from './rule.js';

const withValidation = (names: readonly string[]): string[] => names.flatMap((name) => [name, `val_${name}`]);

export const monitorNames = defineRule({
  id: 'monitor-names',
  description: 'Monitors name the loss or a metric listed in train.metrics, optionally with val_.',
  needs: ['train'],
  check(ir, context) {
    const computed = withValidation(['loss', ...ir.train.metrics]);
    const found: Diagnostic[] = [];
    for (const monitor of monitors(ir)) {
      if (computed.includes(monitor.name)) continue;
      const base = monitor.name.startsWith('val_') ? monitor.name.slice(4) : monitor.name;
      let message: string;
      if ((metricNames as readonly string[]).includes(base)) {
        message = `${monitor.owner} monitors ${monitor.name}, but ${base} is not computed; add it to train { metrics: [...] }.`;
      } else if (findAlias('metric', base)) {
        // Keras names (val_acc): the mlspec name, and the metric to add when it is not computed.
        const metric = findAlias('metric', base)!.write;
        const write = monitor.name.startsWith('val_') ? `val_${metric}` : metric;
        const add = ir.train.metrics.includes(metric as never) ? '' : ` and add ${metric} to train { metrics: [...] }`;
        message = `${monitor.owner} monitors '${monitor.name}', which is the Keras name; write ${write}${add}.`;
      } else {
        const match = closestName(monitor.name, withValidation(metricNames));
        message = `${monitor.owner} monitors '${monitor.name}', which is not a metric.${match ? ` Did you mean '${match}'?` : ''}`;
      }
      found.push(diagnostic('E0608', 'error', message[0]!.toUpperCase() + message.slice(1), context.file, monitor.span, [`Monitors available here: ${computed.join(', ')}.`]));
    }
    return found;
  },
});
