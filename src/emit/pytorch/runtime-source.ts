/**
 * The text of mlspec_runtime.py, the support module every PyTorch program imports. Its source is
 * the Python files in ./python (kept as Python so they can be read, linted and tested as such),
 * joined in a fixed order.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PYTORCH_RUNTIME_FILE = 'mlspec_runtime.py';

/** The parts of mlspec_runtime.py, in order: imports, randomness and data (tables, streamed CSV, image folders), layers, losses to stop rules, the loop, checkpoints, run-folder files, the command line. */
const PARTS = ['header.py', 'rng.py', 'data.py', 'stream.py', 'images.py', 'layers.py', 'attention.py', 'training.py', 'loop.py', 'checkpoint.py', 'run_files.py', 'cli.py'];

/** ./python next to this module, whether it runs from src/ (tests) or from dist/src/ (the CLI). */
function pythonFolder(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'python'), path.resolve(here, '../../../../src/emit/pytorch/python')];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, PARTS[0]!)));
  if (!found) throw new Error(`the Python runtime of the PyTorch target is missing (looked in ${candidates.join(', ')})`);
  return found;
}

let cached: string | null = null;

export function pytorchRuntimeSource(): string {
  if (cached === null) {
    const dir = pythonFolder();
    cached = `${PARTS.map((part) => fs.readFileSync(path.join(dir, part), 'utf8').trimEnd()).join('\n\n\n')}\n`;
  }
  return cached;
}
