/**
 * A damaged checkpoint is never resumed: a flipped byte in the data or in the header fails the
 * SHA-256 of format 2, and a version-1 file (no checksum, still readable) whose header no longer
 * fits the model is refused by name. Every case is one sentence, exit 1, never an internal error.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/frontend.js';
import { evaluatePlan } from '../../src/interpret/evaluate.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { RunError } from '../../src/runtime/errors.js';
import { runTraining, type RunOptions } from '../../src/runtime/program.js';
import { readTensorFile } from '../../src/runtime/tensor-file.js';

const SPEC = `model {
  input(shape: [3])
  dense(5, activation: relu)
  dense(1)
}
data {
  source: random(samples: 32, features: 3)
}
loss: mse
optimizer: adam(lr: 0.01)
train {
  epochs: 3
  batch: 8
  seed: 2
  checkpoint_every: 1
}
`;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-ckpt-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const specFile = path.join(tmp, 'tiny.mlspec');
fs.writeFileSync(specFile, SPEC);

function train(out: string, options: Partial<RunOptions> = {}) {
  const { ir } = analyze(SPEC, specFile);
  return runTraining(evaluatePlan(lowerSpec(ir!, SPEC), specFile), { backend: 'cpu', cwd: tmp, quiet: true, json: false, force: false, handleSignals: false, out, ...options });
}

let source = '';
let reference: Buffer;
beforeAll(async () => {
  // Two epochs, then resumed to three: the copies below resume from the two-epoch checkpoint.
  source = path.join(tmp, 'source');
  await train(source, { epochs: 2 });
  const full = path.join(tmp, 'full');
  await train(full);
  reference = fs.readFileSync(path.join(full, 'model', 'weights.bin'));
});

let copies = 0;
/** A copy of the two-epoch run with its checkpoint.bin changed by `edit`. */
function damagedCopy(edit: (bytes: Buffer) => Buffer): string {
  const dir = path.join(tmp, `copy-${copies++}`);
  fs.cpSync(source, dir, { recursive: true });
  const file = path.join(dir, 'checkpoint.bin');
  fs.writeFileSync(file, edit(fs.readFileSync(file)));
  return dir;
}

async function resumeFailure(dir: string): Promise<RunError> {
  try {
    await train(dir, { resume: dir });
  } catch (error) {
    expect(error).toBeInstanceOf(RunError);
    return error as RunError;
  }
  throw new Error(`${dir} resumed`);
}

const DAMAGED = /^checkpoint\.bin is damaged: [^\n]+; resume from an earlier copy or start again\.$/;
const headerEnd = (bytes: Buffer) => 12 + bytes.readUInt32LE(8);

/** The same checkpoint in format 1: magic MLSPEC1, no checksum; `header` may edit the parsed header. */
function asVersion1(bytes: Buffer, header: (h: { arrays: { name: string; dtype: string; shape: number[]; length: number }[] }) => void = () => {}): Buffer {
  const parsed = JSON.parse(bytes.subarray(12, headerEnd(bytes)).toString('utf8'));
  header(parsed);
  const json = Buffer.from(JSON.stringify(parsed), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  return Buffer.concat([Buffer.from('MLSPEC1\n', 'latin1'), length, json, bytes.subarray(headerEnd(bytes), bytes.length - 32)]);
}

describe('checkpoint format 2', () => {
  it('starts with MLSPEC2 and ends with the SHA-256 of the bytes before it', () => {
    const bytes = fs.readFileSync(path.join(source, 'checkpoint.bin'));
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('MLSPEC2\n');
    expect(createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest().equals(bytes.subarray(bytes.length - 32))).toBe(true);
    expect(readTensorFile(path.join(source, 'checkpoint.bin')).version).toBe(2);
  });

  it('refuses a checkpoint with one flipped bit in the tensor data', async () => {
    for (const at of [0.5, 0.9]) {
      const dir = damagedCopy((b) => {
        const i = headerEnd(b) + Math.floor((b.length - 32 - headerEnd(b)) * at);
        b[i] = b[i]! ^ 0x01;
        return b;
      });
      const error = await resumeFailure(dir);
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(DAMAGED);
      expect(error.message).toContain('SHA-256 checksum does not match');
    }
  });

  it('refuses a checkpoint whose header was edited so that it still parses', async () => {
    const dir = damagedCopy((b) => {
      const text = b.toString('latin1');
      const i = text.indexOf('"seed":2');
      expect(i).toBeGreaterThan(0);
      b[i + 7] = '7'.charCodeAt(0);
      return b;
    });
    expect((await resumeFailure(dir)).message).toMatch(DAMAGED);
  });

  it('refuses a truncated checkpoint and one with bytes appended', async () => {
    expect((await resumeFailure(damagedCopy((b) => b.subarray(0, b.length - 100)))).message).toMatch(/^checkpoint\.bin is damaged: it is truncated \(\d+ of \d+ bytes\); resume/);
    expect((await resumeFailure(damagedCopy((b) => Buffer.concat([b, Buffer.from('x')])))).message).toMatch(/is damaged: it is 1 bytes longer than its header says/);
    expect((await resumeFailure(damagedCopy((b) => b.subarray(0, 5)))).message).toMatch(DAMAGED);
    expect((await resumeFailure(damagedCopy(() => Buffer.from('not a checkpoint at all, just text')))).message).toMatch(/bad magic bytes/);
  });
});

describe('checkpoint format 1 (no checksum)', () => {
  it('is still read, and resumes bit-identically', async () => {
    const dir = damagedCopy((b) => asVersion1(b));
    expect(readTensorFile(path.join(dir, 'checkpoint.bin')).version).toBe(1);
    await train(dir, { resume: dir });
    expect(fs.readFileSync(path.join(dir, 'model', 'weights.bin')).equals(reference)).toBe(true);
  });

  const cases: [string, (h: { arrays: { name: string; dtype: string; shape: number[]; length: number }[] }) => void, RegExp][] = [
    ['a changed shape', (h) => { h.arrays[0]!.shape = [5, 3]; }, /weight 0 has shape \[5, 3\] where the model's has \[3, 5\], which does not fit/],
    ['a changed dtype', (h) => { h.arrays[1]!.dtype = 'int32'; }, /weight 1 is int32 where the model's is float32/],
    ['an unknown dtype', (h) => { h.arrays[1]!.dtype = 'float64'; }, /has an unknown dtype/],
    ['a dropped entry', (h) => { h.arrays.splice(1, 1); }, /bytes longer than its header says/],
    ['a length that disagrees with the shape', (h) => { h.arrays[0]!.length = 14; }, /has 14 values but its shape \[3, 5\] holds 15/],
    ['a negative dimension', (h) => { h.arrays[0]!.shape = [-3, -5]; }, /has an invalid shape/],
    ['an optimizer slot of another shape', (h) => {
      const slot = h.arrays.find((a) => a.name === 'optimizer/0')!;
      slot.shape = [15];
    }, /optimizer slot 0 has shape \[15\] where its weight's has \[3, 5\]/],
  ];
  for (const [what, edit, message] of cases) {
    it(`refuses ${what} in one sentence`, async () => {
      const error = await resumeFailure(damagedCopy((b) => asVersion1(b, edit)));
      expect(error.exitCode).toBe(1);
      expect(error.message).toMatch(DAMAGED);
      expect(error.message).toMatch(message);
    });
  }
});
