/**
 * train.ts's data section: the source as one call with only the options that differ from their
 * defaults (csvData({ path, label, categorical: true }), the runtime fills in the rest from
 * runtime/data/defaults.ts, the table the language's schema takes its defaults from), then the
 * preparation (normalize, split, ...) as dataPipeline's options, the same way.
 */
import type { PlanArg } from '../lower/plan-description.js';
import { optionsToWrite, PIPELINE_DEFAULTS, SOURCE_DEFAULTS } from '../runtime/data/defaults.js';
import type { PrepareDataConfig } from '../runtime/data/prepare.js';
import { key, planValue } from './literal.js';

/** Longer one-line calls are written with one option per line. */
const MAX_INLINE = 96;

/** `{ a: 1, b: 'x' }` on one line (when short, and `inlineUpTo` options or fewer), else one option per line; '' for none. */
function options(given: Record<string, unknown>, inlineUpTo: number): string {
  const entries = Object.entries(given).map(([k, v]) => `${key(k)}: ${planValue(v as PlanArg)}`);
  if (entries.length === 0) return '';
  const inline = `{ ${entries.join(', ')} }`;
  return inline.length <= MAX_INLINE && entries.length <= inlineUpTo ? inline : `{\n${entries.map((e) => `  ${e},`).join('\n')}\n}`;
}

/** `const dataSource = ...` and `const data = ...`, the source's files replaced by `paths` (compile.ts decides where data lives). */
export function dataCode(data: PrepareDataConfig, paths: Record<string, string>): string[] {
  const { source, ...pipeline } = data;
  const placed = { ...source, ...paths } as Record<string, unknown>;
  const sourceOptions = options(optionsToWrite(placed, SOURCE_DEFAULTS[source.kind]), Infinity);
  const preparation = options(optionsToWrite(pipeline as Record<string, unknown>, PIPELINE_DEFAULTS), 1);
  return [
    `const dataSource = mlspec.withDataFiles(mlspec.${source.kind}Data(${sourceOptions}), options.data);`,
    `const data = mlspec.dataPipeline(dataSource${preparation ? `, ${preparation}` : ''});`,
  ];
}
