/**
 * A parsed CSV file to a DataTable: pick the label and feature columns, parse every cell strictly,
 * apply the missing-value policy, map class names to indices.
 */
import { DataError, DataErrorList, dataClosestName, dataQuoteList } from './errors.js';
import type { CsvRawTable } from './csv-read.js';
import { encodeLabels, encodeLabelsWith } from './labels.js';
import { dataNumberOrNaN, parseDataNumber } from './numbers.js';
import type { DataLabels, DataTable } from './table.js';

export interface CsvTableOptions {
  label: string;
  /** False for new data (evaluate/predict): a file without the label column then gives no labels. */
  labelRequired: boolean;
  /** Feature columns in this order; null: every column but the label, in file order. */
  features: string[] | null;
  categorical: boolean;
  missing: 'error' | 'drop' | 'zero' | 'mean';
  /** A saved model's classes: labels are mapped with them instead of from the file. */
  classes: string[] | null;
  /** False for predict: the label column (if present) is neither read nor checked, and not a feature. Default true. */
  readLabel?: boolean;
  /** Feature columns read as trimmed text (category and binary columns, column-types.ts), not as numbers. */
  textColumns?: readonly string[];
  /** Per-column missing-value rules (the columns of an input with `missing:`), overriding `missing`. */
  missingByColumn?: Readonly<Record<string, CsvTableOptions['missing']>>;
}

/** A CSV table whose labels may be absent (new data without the label column). */
export type CsvDataTable = Omit<DataTable, 'labels'> & { labels: DataLabels | null };

/** The text of each `textColumns` feature (by feature slot; null for numeric slots), one entry per kept row. */
export type CsvFeatureTexts = (string[] | null)[];

function csvUnknownColumn(raw: CsvRawTable, name: string, role: string, option: string): DataError {
  const suggestion = dataClosestName(name, raw.header);
  const hint = suggestion !== null ? `did you mean \`${suggestion}\`?` : `its columns are ${dataQuoteList(raw.header)}.`;
  return new DataError(
    'E0515',
    `\`${raw.file}\` has no column \`${name}\` (${role}); ${hint}`,
    raw.file,
    raw.headerLine,
    null,
    option,
  );
}

function csvFeatureColumns(raw: CsvRawTable, options: CsvTableOptions, labelIndex: number, problems: DataErrorList): number[] {
  if (options.features === null) {
    const all = raw.header.map((_, i) => i).filter((i) => i !== labelIndex);
    if (all.length === 0) {
      throw new DataError(
        'E0519',
        `\`${raw.file}\` has no columns besides the label \`${options.label}\`; add feature columns to the file.`,
        raw.file,
        raw.headerLine,
        null,
        'path',
      );
    }
    return all;
  }
  return options.features.map((name) => {
    if (name === options.label) {
      throw new DataError(
        'E0519',
        `The label column \`${name}\` of \`${raw.file}\` is also listed in \`features\`; remove it from \`features\`.`,
        raw.file,
        raw.headerLine,
        null,
        'features',
      );
    }
    const index = raw.header.indexOf(name);
    if (index < 0) problems.add(csvUnknownColumn(raw, name, 'listed in `features`', 'features'));
    return index;
  });
}

/** Shortens a cell for a message. */
function csvCellText(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  return trimmed.length > 40 ? `${trimmed.slice(0, 37)}...` : trimmed;
}

export function buildCsvTable(raw: CsvRawTable, options: CsvTableOptions): CsvDataTable {
  const labelColumn = raw.header.indexOf(options.label);
  // Every missing column is reported at once.
  const columnProblems = new DataErrorList();
  if (labelColumn < 0 && options.labelRequired) columnProblems.add(csvUnknownColumn(raw, options.label, 'the label', 'label'));
  const featureIndices = csvFeatureColumns(raw, options, labelColumn, columnProblems);
  columnProblems.throwIfAny();
  // predict ignores the label column: it is not a feature, and its cells are not read.
  const labelIndex = options.readLabel === false ? -1 : labelColumn;
  const { file } = raw;
  const where = (line: number, column: number): string =>
    `\`${file}\` line ${line}, column ${column + 1} (\`${raw.header[column]}\`)`;
  const cellError = (code: string, line: number, column: number, text: string): DataError =>
    new DataError(code, `${where(line, column)}: ${text}`, file, line, column + 1);

  // Cells are checked in file column order, so the first error reported is the first in the file.
  const checked = [...featureIndices.map((column, slot) => ({ column, slot })), ...(labelIndex >= 0 ? [{ column: labelIndex, slot: -1 }] : [])].sort(
    (a, b) => a.column - b.column,
  );
  const features: number[][] = [];
  const textSlots = new Set(featureIndices.map((column, slot) => (options.textColumns?.includes(raw.header[column]!) ? slot : -1)).filter((slot) => slot >= 0));
  const featureTexts: CsvFeatureTexts = featureIndices.map((_, slot) => (textSlots.has(slot) ? [] : null));
  // Checked once per cell: a plain flag keeps numeric-only tables on their old fast path.
  const anyText = textSlots.size > 0;
  const labelTexts: string[] = [];
  const labelValues: number[][] = [];
  const rowLines: number[] = [];
  let hasMissing = false;

  // Every bad cell is found in one pass; the first DATA_ERRORS_LISTED are reported, the rest counted.
  const problems = new DataErrorList();
  /** A numeric cell's value, or NaN when the cell is empty; null (the problem noted) for anything else. */
  const numberIn = (text: string, line: number, column: number, isLabel: boolean): number | null => {
    const value = dataNumberOrNaN(text);
    if (!Number.isNaN(value)) return value;
    const cell = parseDataNumber(text);
    if (cell.kind === 'missing') return NaN;
    if (cell.kind === 'non-finite') {
      problems.add(cellError(
        'E0516',
        line,
        column,
        `\`${csvCellText(text)}\` is not a finite number; write the actual value, or leave the cell empty and set \`missing:\` in the data section.`,
      ));
      return null;
    }
    const fix = isLabel
      ? 'write a decimal number, or set `categorical: true` if the labels are class names.'
      : 'write a plain decimal number (such as 2.5 or 1e-3), list the column in `category` if it holds names, or leave it out of `features`.';
    problems.add(cellError('E0511', line, column, `\`${csvCellText(text)}\` is not a number; ${fix}`));
    return null;
  };

  /** The missing-value rule of a feature column: its input's (`input(missing: ...)`), else the source's. */
  const own = options.missingByColumn;
  const missingOf = (column: number): CsvTableOptions['missing'] => (own && Object.hasOwn(own, raw.header[column]!) ? own[raw.header[column]!]! : options.missing);
  for (const row of raw.rows) {
    const values = new Array<number>(featureIndices.length);
    let drop = false;
    let bad = false;
    let labelText = '';
    let labelValue = NaN;
    const texts: string[] | null = anyText ? [] : null;
    for (const { column, slot } of checked) {
      const text = row.cells[column]!;
      if (anyText && slot >= 0 && textSlots.has(slot)) {
        // Text cells: an empty one follows `missing` (error, drop; else it is kept as '', an unseen value).
        const trimmed = text.trim();
        values[slot] = 0;
        texts![slot] = trimmed;
        if (trimmed !== '' || missingOf(column) === 'zero' || missingOf(column) === 'mean') continue;
        if (missingOf(column) === 'drop') {
          drop = true;
          continue;
        }
        bad = true;
        problems.add(cellError(
          'E0510',
          row.line,
          column,
          'the cell is empty; fill it in, or say what empty cells mean with `missing: drop`, `missing: zero` or `missing: mean` in the data section.',
        ));
        continue;
      }
      if (slot >= 0) {
        const value = numberIn(text, row.line, column, false);
        if (value === null) {
          bad = true;
        } else if (!Number.isNaN(value)) {
          values[slot] = value;
        } else if (missingOf(column) === 'error') {
          bad = true;
          problems.add(cellError(
            'E0510',
            row.line,
            column,
            'the cell is empty; fill it in, or say what empty cells mean with `missing: drop`, `missing: zero` or `missing: mean` in the data section.',
          ));
        } else if (missingOf(column) === 'drop') {
          drop = true;
        } else {
          values[slot] = missingOf(column) === 'zero' ? 0 : NaN;
          hasMissing ||= missingOf(column) === 'mean';
        }
        continue;
      }
      labelText = text.trim();
      if (labelText === '') {
        if (options.missing !== 'drop') {
          bad = true;
          problems.add(cellError('E0510', row.line, column, 'the label is empty; fill it in, or set `missing: drop` in the data section to skip rows without a label.'));
        }
        drop = true;
      } else if (!options.categorical) {
        const value = numberIn(text, row.line, column, true);
        if (value === null) bad = true;
        else labelValue = value;
      }
    }
    if (drop || bad) continue;
    features.push(values);
    if (anyText) for (const slot of textSlots) featureTexts[slot]!.push(texts![slot]!);
    rowLines.push(row.line);
    if (labelIndex >= 0) {
      if (options.categorical) labelTexts.push(labelText);
      else labelValues.push([labelValue]);
    }
  }

  problems.throwIfAny();
  if (features.length === 0) {
    throw new DataError(
      'E0520',
      `Every data row of \`${file}\` has an empty cell, so \`missing: drop\` leaves no rows; fill the cells in, or use \`missing: zero\` or \`missing: mean\`.`,
      file,
      null,
      null,
      'missing',
    );
  }

  return {
    features,
    featureNames: featureIndices.map((i) => raw.header[i]!),
    hasMissing,
    sampleShape: [featureIndices.length],
    dtype: 'float32',
    labels: labelIndex < 0 ? null : csvLabels(raw, options, labelIndex, labelTexts, labelValues, rowLines),
    labelName: options.label,
    hash: raw.hash,
    origin: `\`${file}\``,
    rowLines,
    ...(textSlots.size > 0 ? { featureTexts } : {}),
  };
}

function csvLabels(
  raw: CsvRawTable,
  options: CsvTableOptions,
  labelIndex: number,
  texts: string[],
  values: number[][],
  rowLines: number[],
): DataLabels {
  if (!options.categorical) return { kind: 'values', values };
  if (options.classes === null) {
    const { indices, classes } = encodeLabels(texts);
    return { kind: 'classes', indices, count: classes.length, names: classes };
  }
  const indices = encodeLabelsWith(texts, options.classes);
  const problems = new DataErrorList();
  for (let unknown = 0; unknown < indices.length; unknown++) {
    if (indices[unknown] !== -1) continue;
    const line = rowLines[unknown]!;
    problems.add(new DataError(
      'E0517',
      `\`${raw.file}\` line ${line}, column ${labelIndex + 1} (\`${options.label}\`): the class \`${csvCellText(texts[unknown]!)}\` is not one of the model's classes (${dataQuoteList(options.classes)}); use data with only the classes the model was trained on.`,
      raw.file,
      line,
      labelIndex + 1,
    ));
  }
  problems.throwIfAny();
  return { kind: 'classes', indices, count: options.classes.length, names: [...options.classes] };
}
