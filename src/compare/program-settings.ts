/**
 * What `mlspec compare` shows as the settings of a run of an edited compiled program: its spec.mlspec
 * is the spec it was compiled from, which no longer says what trained, so each edited part
 * (summary.json "edited") is shown from the program's own description (summary.json "program").
 */

export interface EditedRunSummary {
  edited?: string[];
  program?: Record<string, unknown>;
}

/** `{ kind: 'adam', beta1: 0.8 }` as `adam(beta1: 0.8)`. */
function describedCall(value: unknown): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return JSON.stringify(value);
  const { kind, ...options } = value as Record<string, unknown>;
  const args = Object.entries(options).map(([k, v]) => `${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  return `${String(kind)}(${args.join(', ')})`;
}

/** Each layer as `name Class(units: 32, activation: relu)`, the model's main options. */
function describedModel(value: unknown): string {
  if (!Array.isArray(value)) return JSON.stringify(value);
  return value
    .map((layer: Record<string, unknown>) => {
      const { name, class: className, ...options } = layer;
      return `${String(name)} ${describedCall({ kind: className, ...options })}`;
    })
    .join('; ');
}

/** PATH -> VALUE for each edited part: `program.model`, `program.optimizer`, ...; none for an unedited run. */
export function settingsFromProgram(summary: EditedRunSummary | null): Record<string, string> {
  const settings: Record<string, string> = {};
  if (!summary?.edited || !summary.program) return settings;
  const program = summary.program;
  for (const part of summary.edited) {
    const optimizer = program.optimizer as Record<string, unknown> | undefined;
    const value =
      part === 'model' ? describedModel(program.model)
      : part === 'learningRate' ? String(optimizer?.lr)
      : part === 'optimizer' ? describedCall(optimizer && Object.fromEntries(Object.entries(optimizer).filter(([k]) => k !== 'lr')))
      : part in program ? (typeof program[part] === 'object' && program[part] !== null ? describedCall(program[part]) : String(program[part]))
      : 'edited';
    settings[`program.${part}`] = value;
  }
  return settings;
}
