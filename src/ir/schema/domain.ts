/** Which written or defaulted numbers lie outside their option's domain (schema `domain`). */
import { inDomain, type OptionSchema } from './types.js';

export interface DomainViolation {
  option: OptionSchema;
  value: number;
  /** Index of the offending item when the option is a list, else null. */
  index: number | null;
}

export function domainViolations(options: readonly OptionSchema[], config: Readonly<Record<string, unknown>>): DomainViolation[] {
  const found: DomainViolation[] = [];
  for (const option of options) {
    const domain = option.domain;
    if (!domain) continue;
    const value = config[option.name];
    if (typeof value === 'number' && !inDomain(value, domain)) found.push({ option, value, index: null });
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'number' && !inDomain(item, domain)) found.push({ option, value: item, index });
      });
    }
  }
  return found;
}
