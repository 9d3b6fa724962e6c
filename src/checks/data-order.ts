import { diagnostic } from '../diagnostics/diagnostic.js';
import { cellNumber } from './data-cells.js';
import { defineRule } from './rule.js';

/**
 * `shuffle: false` keeps file order for the split as well as for the epochs: the first rows
 * train, the last ones test. On a file sorted or grouped by its label that leaves classes (or
 * a range of values) out of training or out of the test split, so `check` and `plan` warn.
 */
export const dataOrder = defineRule({
  id: 'data-order',
  description: 'Warns when shuffle: false splits a file whose label column is sorted or grouped.',
  needs: ['data'],
  check(ir, context) {
    const data = ir.data;
    const held = data.split.validation > 0 || data.split.test > 0;
    if (data.shuffle || !held || data.split.stratify) return [];
    const cells = context.data().labelCells?.filter((cell) => cell !== '');
    if (!cells || cells.length < 10) return [];
    const categorical = data.source.kind === 'csv' && data.source.categorical;
    const order = groupedLabels(cells, categorical ? 'class' : 'value') ?? (categorical ? null : sortedValues(cells));
    if (!order) return [];
    const label = data.source.kind === 'csv' ? data.source.label : 'label';
    // An image folder is read class by class, so it is always grouped.
    const subject = data.source.kind === 'images' ? `The images of ${context.data().origin} are read class by class` : `The label column '${label}' of ${context.data().origin} is ${order}`;
    const message = `${subject}, and shuffle: false also keeps file order for the split (the first rows train, the last ones validate and test), so the splits see different labels; remove shuffle: false (shuffling is the default), or add stratify: true to the split.`;
    return [diagnostic('W0501', 'warning', message, context.file, data.spans.shuffle ?? data.split.span, ['shuffle controls both the row order the split is taken from and the order of each epoch.'])];
  },
});

/** "sorted by class (3 runs over 150 rows)" when equal labels sit together far more than in a random order. */
function groupedLabels(cells: readonly string[], noun: string): string | null {
  const counts = new Map<string, number>();
  let runs = 1;
  for (let i = 0; i < cells.length; i++) {
    counts.set(cells[i]!, (counts.get(cells[i]!) ?? 0) + 1);
    if (i > 0 && cells[i] !== cells[i - 1]) runs++;
  }
  if (counts.size < 2) return null;
  let same = 0;
  for (const count of counts.values()) same += (count / cells.length) ** 2;
  // A random order has about 1 + (n - 1) * (1 - sum p^2) runs.
  const expected = 1 + (cells.length - 1) * (1 - same);
  if (expected < 8 || runs > expected / 4) return null;
  return `${runs === counts.size ? 'sorted' : 'grouped'} by ${noun} (${runs.toLocaleString('en-US')} runs of equal labels over ${cells.length.toLocaleString('en-US')} rows)`;
}

/** "sorted in ascending order" when at least 90% of the steps between neighbouring values go one way. */
function sortedValues(cells: readonly string[]): string | null {
  let up = 0;
  let down = 0;
  let previous: number | null = null;
  for (const cell of cells) {
    const value = cellNumber(cell);
    if (value === null) continue;
    if (previous !== null && value > previous) up++;
    if (previous !== null && value < previous) down++;
    previous = value;
  }
  const steps = up + down;
  if (steps < 10) return null;
  if (up >= 0.9 * steps) return 'sorted in ascending order';
  if (down >= 0.9 * steps) return 'sorted in descending order';
  return null;
}
