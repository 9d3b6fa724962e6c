/**
 * The names of a model's nodes in the syntax tree: where each is defined (`h = dense(...)`)
 * and where it is used (`<- h`, `output: h`), for go to definition, find references and rename.
 */
import type { Span } from '../diagnostics/diagnostic.js';
import type { Item, Section, SpecFile, Value } from '../syntax/ast.js';

export interface NameOccurrence {
  name: string;
  span: Span;
  /** true where the name is defined, false where it is used. */
  definition: boolean;
}

/** The model section of a parsed file, if any. */
export function modelSection(ast: SpecFile): Section | null {
  const found = ast.items.find((item): item is Section => item.kind === 'section' && item.key.name === 'model');
  return found ?? null;
}

function identifiersOf(value: Value): { name: string; span: Span }[] {
  if (value.kind === 'ident') return [{ name: value.name, span: value.span }];
  if (value.kind === 'string') return [{ name: value.value, span: value.span }];
  if (value.kind === 'list') return value.items.flatMap(identifiersOf);
  return [];
}

/** Every definition and use of a node name in the model, in source order. */
export function nameOccurrences(ast: SpecFile): NameOccurrence[] {
  const model = modelSection(ast);
  if (!model) return [];
  const found: NameOccurrence[] = [];
  const visit = (item: Item) => {
    if (item.kind === 'statement') {
      if (item.name) found.push({ name: item.name.name, span: item.name.span, definition: true });
      for (const input of item.inputs ?? []) found.push({ name: input.name, span: input.span, definition: false });
    } else if (item.kind === 'property' && item.key.name === 'output') {
      // Only bare names: a quoted name is also a use, but renaming inside quotes is left alone.
      for (const ref of identifiersOf(item.value)) if (item.value.kind !== 'string') found.push({ ...ref, definition: false });
    }
  };
  model.items.forEach(visit);
  return found;
}

/** The occurrence whose span holds `offset` (ends included, as a cursor just after a name is on it). */
export function occurrenceAt(occurrences: readonly NameOccurrence[], offset: number): NameOccurrence | undefined {
  return occurrences.find((o) => o.span.start.offset <= offset && offset <= o.span.end.offset);
}
