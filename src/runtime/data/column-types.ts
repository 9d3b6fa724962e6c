/**
 * Typed feature columns, encoded after the split so every vocabulary comes from the training rows:
 *
 *   numeric   the cell's number (normalised by `normalize`, filled by `missing`), as before;
 *   category  text values; the vocabulary is the training rows' distinct non-empty values in code
 *             point order, ids 1 .. V, and id 0 for any other value (unseen, or an empty cell kept
 *             by `missing: zero`/`mean`). In a float32 input: one-hot over [unseen, v1 .. vV]
 *             (V + 1 columns); in an int32 input: the id (for an embedding of vocab > V).
 *   binary    two text values: 0 for the first in code point order, 1 for the other; an empty
 *             cell is missing (zero: 0, mean: the training mean); another value is an error.
 *   tokens    a numeric column in an int32 input: integer ids, never normalised.
 *
 * The encoded columns are laid out input by input (DataInputColumns order); x holds them side by
 * side and a model with several inputs slices them apart (layers/column-slice.ts). The vocabularies
 * are saved (preprocessing.json `columns`) and applied unchanged by evaluate and predict.
 */
import type { Normalization } from '../contracts.js';
import type { DataInputColumns, DataTypedColumns } from './config.js';
import { DataError, dataQuoteList } from './errors.js';
import { compareCodePoints } from './labels.js';
import { fitNormalization } from './normalize.js';
import type { DataTable } from './table.js';

export type DataColumnKind = 'numeric' | 'category' | 'binary' | 'tokens';

/** How one source column is encoded; saved in preprocessing.json. */
export interface DataColumnEncoding {
  name: string;
  kind: DataColumnKind;
  /** The input that reads it. */
  input: string;
  /** category: the known values (id i + 1 for vocabulary[i]); binary: the two values (0, 1); else null. */
  vocabulary: string[] | null;
  /** category in a float32 input: one-hot. */
  oneHot: boolean;
}

/** The name of the one-hot column of an unseen category value. */
export const DATA_UNSEEN_NAME = '<unseen>';

function dataColumnKind(name: string, typed: DataTypedColumns, input: DataInputColumns): DataColumnKind {
  if (typed.category.includes(name)) return 'category';
  if (typed.binary.includes(name)) return 'binary';
  return input.dtype === 'int32' ? 'tokens' : 'numeric';
}

/** The input reading each feature column (the sole input when none names its columns). */
function dataInputOf(name: string, typed: DataTypedColumns): DataInputColumns {
  return typed.inputs.find((input) => input.from.includes(name)) ?? typed.inputs[0]!;
}

/** Fits the encoding of every feature column of `table` on the rows `fitRows` (the training split). */
export function fitColumnEncodings(table: DataTable, typed: DataTypedColumns, fitRows: readonly number[]): DataColumnEncoding[] {
  return table.featureNames.map((name, slot) => {
    const input = dataInputOf(name, typed);
    const kind = dataColumnKind(name, typed, input);
    if (kind !== 'category' && kind !== 'binary') return { name, kind, input: input.name, vocabulary: null, oneHot: false };
    const texts = table.featureTexts?.[slot] ?? [];
    const values = [...new Set(fitRows.map((row) => texts[row]!).filter((text) => text !== ''))].sort(compareCodePoints);
    if (kind === 'binary' && values.length > 2) {
      throw new DataError(
        'E0535',
        `Column \`${name}\` of ${table.origin} is listed in \`binary\` but its training rows hold ${values.length} values (${dataQuoteList(values.slice(0, 5))}${values.length > 5 ? ', ...' : ''}); list it in \`category\` instead.`,
        null,
        null,
        null,
        'binary',
      );
    }
    return { name, kind, input: input.name, vocabulary: values, oneHot: kind === 'category' && input.dtype === 'float32' };
  });
}

/** The encoded column names, e.g. `age`, `city=<unseen>`, `city=Paris`. */
export function encodedColumnNames(encodings: readonly DataColumnEncoding[]): string[] {
  return encodings.flatMap((column) =>
    column.oneHot ? [`${column.name}=${DATA_UNSEEN_NAME}`, ...column.vocabulary!.map((value) => `${column.name}=${value}`)] : [column.name],
  );
}

/**
 * The table with its features encoded by `encodings`: category and binary text replaced by ids,
 * one-hot vectors or 0/1 (an empty binary cell is NaN when `missing: mean` fills it, else 0).
 * A binary value outside the saved two is an error (E0536), located by line and column.
 */
export function applyColumnEncodings(table: DataTable, encodings: readonly DataColumnEncoding[], emptyBinaryOf: (column: string) => number): DataTable {
  const lookups = encodings.map((column) => (column.vocabulary ? new Map(column.vocabulary.map((value, i) => [value, i])) : null));
  let hasMissing = table.hasMissing;
  const features = table.features.map((row, r) => {
    const out: number[] = [];
    encodings.forEach((column, slot) => {
      const lookup = lookups[slot];
      if (lookup === null) {
        out.push(row[slot]!);
        return;
      }
      const text = table.featureTexts?.[slot]?.[r] ?? '';
      const index = lookup.get(text);
      if (column.kind === 'binary') {
        if (text === '') {
          const empty = emptyBinaryOf(column.name);
          out.push(empty);
          hasMissing ||= Number.isNaN(empty);
          return;
        }
        if (index === undefined) {
          const line = table.rowLines?.[r] ?? null;
          throw new DataError(
            'E0536',
            `${table.origin}${line === null ? '' : ` line ${line}`} (\`${column.name}\`): \`${text.slice(0, 40)}\` is not one of the two values of this binary column (${dataQuoteList(column.vocabulary!)}); use one of them, or list the column in \`category\`.`,
            null,
            line,
            null,
          );
        }
        out.push(index);
        return;
      }
      const id = index === undefined ? 0 : index + 1;
      if (!column.oneHot) {
        out.push(id);
        return;
      }
      const start = out.length;
      for (let i = 0; i <= column.vocabulary!.length; i++) out.push(0);
      out[start + id] = 1;
    });
    return out;
  });
  const width = features.length > 0 ? features[0]!.length : encodedColumnNames(encodings).length;
  return { ...table, features, featureNames: encodedColumnNames(encodings), hasMissing, sampleShape: [width], featureTexts: undefined };
}

/** Each input's width in encoded columns must be the product of its shape (E0538); else the model would slice the wrong columns. */
export function checkInputWidths(encodings: readonly DataColumnEncoding[], typed: DataTypedColumns, origin: string): void {
  for (const input of typed.inputs) {
    const mine = encodings.filter((column) => column.input === input.name);
    const width = encodedColumnNames(mine).length;
    if (width === input.width) continue;
    const parts = mine.map((column) => (column.oneHot ? `\`${column.name}\` one-hot ${column.vocabulary!.length + 1}` : `\`${column.name}\` 1`)).join(', ');
    throw new DataError(
      'E0538',
      `Input \`${input.name}\` takes ${input.width} values per sample, but its columns of ${origin} give ${width} (${parts}; a one-hot category has one column per training value plus one for unseen values); write input(shape: [${width}]).`,
      null,
      null,
      null,
      'features',
    );
  }
}

/**
 * Normalisation of typed columns, fitted on the training rows: a numeric column is scaled as its
 * input's `normalize` says, else as the data section's; category, binary and token columns get
 * shift 0, scale 1. `kind` is the data section's, or (when that is none) the first kind an input
 * asks for, so that whoever applies it (evaluate, predict) does not skip it.
 */
export function fitTypedNormalization(
  base: Normalization['kind'],
  rows: readonly (readonly number[])[],
  encodings: readonly DataColumnEncoding[],
  inputs: readonly DataInputColumns[],
): Normalization {
  const kinds: Normalization['kind'][] = encodings.flatMap((column) => {
    const width = column.oneHot ? column.vocabulary!.length + 1 : 1;
    const kind = column.kind !== 'numeric' ? 'none' : (inputs.find((input) => input.name === column.input)?.normalize ?? base);
    return Array.from({ length: width }, () => kind);
  });
  const fitted = new Map(['zscore', 'minmax'].filter((kind) => kinds.includes(kind as Normalization['kind'])).map((kind) => [kind, fitNormalization(kind as Normalization['kind'], rows, kinds.length)]));
  const shift = kinds.map((kind, j) => (kind === 'none' ? 0 : fitted.get(kind)!.shift[j]!));
  const scale = kinds.map((kind, j) => (kind === 'none' ? 1 : fitted.get(kind)!.scale[j]!));
  return { kind: base !== 'none' ? base : (kinds.find((kind) => kind !== 'none') ?? 'none'), shift, scale };
}
