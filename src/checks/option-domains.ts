import { diagnostic } from '../diagnostics/diagnostic.js';
import { domainViolations } from '../ir/schema/domain.js';
import { describeDomain } from '../ir/schema/types.js';
import { optionHolders } from './option-holders.js';
import { defineRule } from './rule.js';

export const optionDomains = defineRule({
  id: 'option-domains',
  description: 'Every number lies in its option\'s range (lr > 0, dropout in [0, 1), units >= 1, ...; see docs/language.md).',
  needs: [],
  check(ir, { file }) {
    return optionHolders(ir).flatMap((holder) =>
      domainViolations(holder.options, holder.values).map(({ option, value, index }) => {
        const what = index === null ? `Option '${option.name}' of ${holder.label}` : `Each item of '${option.name}' of ${holder.label}`;
        const message = `${what} must be ${describeDomain(option.domain!)}, got ${value}.`;
        return diagnostic('E0401', 'error', message, file, holder.spans[option.name] ?? holder.span);
      }),
    );
  },
});
