/**
 * The data facts of an `images(...)` folder: the sample shape from `size` and `channels`, the
 * classes from the subfolders, and the first problem the run would meet (the same codes: E0550
 * folder, E0551 no class subfolders, E0552 an empty class, E0553 a file that cannot be decoded,
 * E0555 too many numbers for `stream: false`). Images are decoded once per change of the file (cached by path, size
 * and modification time), up to IMAGE_CHECK_DECODE_BYTES per check, so a bad file is named at
 * `check` time, not minutes into a run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnostic, type Span } from '../diagnostics/diagnostic.js';
import type { ImagesSource } from '../ir/types.js';
import { DataError } from '../runtime/data/errors.js';
import { decodeImage, imageFormatOf } from '../runtime/data/image-decode.js';
import { listImageFolder } from '../runtime/data/image-folder.js';
import { IMAGE_MAX_SIDE, IMAGE_STREAM_FIX, imageTooManyNumbers } from '../runtime/data/images-source.js';
import { DATA_GENERATOR_MAX_VALUES } from '../runtime/data/generator-options.js';
import type { DataFacts } from './data-facts.js';

/** Per file: why it cannot be decoded, or null when it decodes. */
const decoded = new Map<string, { size: number; mtimeMs: number; problem: string | null }>();

/**
 * Bytes of image files one check decodes in full (about a second of decoding); the files beyond
 * are only sniffed (their first bytes must be PNG's or JPEG's), and `run` names any that then
 * fails to decode. Keeps `check` and the language server quick on large folders.
 */
export const IMAGE_CHECK_DECODE_BYTES = 32 * 1024 * 1024;

function sniffProblem(file: string): string | null {
  const head = new Uint8Array(8);
  let fd: number | null = null;
  try {
    fd = fs.openSync(file, 'r');
    const read = fs.readSync(fd, head, 0, 8, 0);
    return imageFormatOf(head.subarray(0, read)) === null ? 'it is neither a PNG nor a JPEG file' : null;
  } catch (error) {
    return `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

/** Why `file` cannot be used, or null; `budget.left` is what may still be decoded in full. */
function decodeProblem(file: string, budget: { left: number }): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    return `it cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`;
  }
  const cached = decoded.get(file);
  if (cached && cached.size === stat.size && cached.mtimeMs === stat.mtimeMs) return cached.problem;
  if (stat.size > budget.left) return sniffProblem(file);
  budget.left -= stat.size;
  let problem: string | null = null;
  try {
    decodeImage(fs.readFileSync(file));
  } catch (error) {
    problem = (error as Error).message;
  }
  decoded.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, problem });
  return problem;
}

/** Whether size and channels describe a sample (the data-image-options rule reports them otherwise). */
function imageShape(source: ImagesSource): number[] | null {
  const { size, channels } = source;
  const ok = Array.isArray(size) && size.length === 2 && size.every((n) => Number.isInteger(n) && n >= 1 && n <= IMAGE_MAX_SIDE) && (channels === 1 || channels === 3);
  return ok ? [size[0]!, size[1]!, channels] : null;
}

export function imageFacts(
  source: ImagesSource & { span: Span; spans: Record<string, Span> },
  baseDir: string,
  file: string,
  decodeBytes = IMAGE_CHECK_DECODE_BYTES,
): DataFacts {
  const shown = source.path;
  const facts: DataFacts = {
    problem: null,
    header: null,
    sampleShape: imageShape(source),
    featureNames: null,
    labels: { kind: 'classes', count: null, names: null },
    tokens: false,
    origin: `the image folder '${shown}'`,
    labelCells: null,
    featureColumns: () => null,
  };
  const at: Span = source.spans.path ?? source.span;
  let listing: ReturnType<typeof listImageFolder>;
  try {
    listing = listImageFolder(shown, baseDir);
  } catch (error) {
    if (!(error instanceof DataError)) throw error;
    facts.problem = diagnostic(error.code, 'error', error.message.replaceAll('`', "'"), file, at);
    return facts;
  }
  facts.labels = { kind: 'classes', count: listing.classes.length, names: listing.classes };
  facts.labelCells = listing.files.map((f) => listing.classes[f.classIndex]!);
  const folder = path.resolve(baseDir, shown);
  const budget = { left: decodeBytes };
  const bad = listing.files.map((f) => ({ relative: f.relative, problem: decodeProblem(path.join(folder, ...f.relative.split('/')), budget) })).filter((f) => f.problem !== null);
  if (bad.length > 0) {
    const more = bad.length > 1 ? ` (and ${bad.length - 1} other file${bad.length === 2 ? '' : 's'})` : '';
    const message = `Cannot decode the image '${shown}/${bad[0]!.relative}' (${bad[0]!.problem})${more}; replace it with a valid PNG or JPEG file, or remove it.`;
    facts.problem = diagnostic('E0553', 'error', message, file, at, bad.slice(1, 6).map((f) => `Also '${shown}/${f.relative}': ${f.problem}.`));
    return facts;
  }
  const shape = facts.sampleShape;
  const values = shape ? listing.files.length * shape[0]! * shape[1]! * shape[2]! : 0;
  // A folder over the limit is streamed (images-stream-dataset.ts) unless the spec says `stream: false`.
  if (values > DATA_GENERATOR_MAX_VALUES && source.stream === false) {
    const message = imageTooManyNumbers(listing.files.length, shown, [shape![0]!, shape![1]!], shape![2]!, IMAGE_STREAM_FIX).replaceAll('`', "'");
    facts.problem = diagnostic('E0555', 'error', message, file, source.spans.stream ?? source.spans.size ?? at);
  }
  return facts;
}
