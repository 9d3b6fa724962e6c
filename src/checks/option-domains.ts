import { diagnostic } from '../diagnostics/diagnostic.js';
import { domainViolations } from '../ir/schema/domain.js';
import { describeDomain } from '../ir/schema/types.js';
import { optionHolders } from './option-holders.js';
import { looksLikePercentages } from './split-ratios.js';
import { defineRule } from './rule.js';

export const optionDomains = defineRule({
  id: 'option-domains',
  description: 'Every number lies in its option\'s range (lr > 0, dropout in [0, 1), units >= 1, ...; see docs/language.md).',
  needs: [],
  check(ir, { file }) {
    // Percentages in the split get one message from split-ratios, not one per ratio.
    const percentages = ir.data !== undefined && looksLikePercentages(ir.data.split);
    return optionHolders(ir).filter((holder) => !(percentages && holder.label === 'the split section')).flatMap((holder) =>
      domainViolations(holder.options, holder.values).map(({ option, value, index }) => {
        const what = index === null ? `Option '${option.name}' of ${holder.label}` : `Each item of '${option.name}' of ${holder.label}`;
        const message = `${what} must be ${describeDomain(option.domain!)}, got ${value}.`;
        return diagnostic('E0401', 'error', message, file, holder.spans[option.name] ?? holder.span);
      }),
    );
  },
});
