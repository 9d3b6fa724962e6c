import { diagnostic } from '../diagnostics/diagnostic.js';
import { monitors } from './monitors.js';
import { defineRule } from './rule.js';

export const validationMonitors = defineRule({
  id: 'validation-monitors',
  description: 'A monitor on a validation metric (val_...) needs a validation split.',
  needs: ['data'],
  check(ir, context) {
    if (ir.data.split.validation > 0) return [];
    return monitors(ir)
      .filter((monitor) => monitor.name.startsWith('val_'))
      .map((monitor) => {
        const message = `${monitor.owner[0]!.toUpperCase()}${monitor.owner.slice(1)} monitors ${monitor.name}, but the split has no validation part; add validation: 0.1 (for example) to split { ... }, or monitor ${monitor.name.slice(4)}.`;
        return diagnostic('E0607', 'error', message, context.file, monitor.span);
      });
  },
});
