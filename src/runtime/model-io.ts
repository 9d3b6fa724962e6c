/**
 * Saving and loading models in the standard tfjs layers format: dir/model.json (topology +
 * weights manifest) and dir/weights.bin, the same files tfjs-node's model.save('file://dir')
 * writes, so tf.loadLayersModel can read them (after registerMlspecLayers() for mlspec's layers).
 *
 * Integrity convention (also followed by the PyTorch exporter, docs/reliability.md):
 *   model.json `userDefinedMetadata.mlspec.weightsSha256` is the lowercase hex SHA-256 of the
 *   bytes of the files listed in `weightsManifest[].paths`, concatenated in manifest order
 *   (groups in order, paths in order; for mlspec's own models that is weights.bin alone).
 * Readers (evaluate, predict, --init-from) check, before any weight is used: model.json is a
 * regular file of at most 64 MiB holding JSON with a weights manifest; every manifest path is a
 * relative path that stays in the model folder (symlinks resolved) and names a regular file; the
 * files together are exactly as long as the manifest's weights; and, when model.json records
 * weightsSha256, the checksum matches. A model without weightsSha256 (written by tfjs itself or
 * an older mlspec) is read without the checksum. Any failure is one sentence (DamagedFileError or
 * FileReadError, exit 1).
 *
 * Both files are written all or nothing (writeFilesAtomic): a full disk leaves the previous model.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { writeFilesAtomic } from './atomic-write.js';
import { registerMlspecLayers } from './layers/register.js';
import { confinedPath, FileReadError, readRegularFile, readRegularText } from './safe-read.js';
import { DamagedFileError } from './tensor-file.js';

export const MODEL_JSON_FILE = 'model.json';
export const MODEL_WEIGHTS_FILE = 'weights.bin';

/** The model.json that tfjs-node writes for these artifacts (tfjs-core does not export its helper). */
function modelJsonOf(artifacts: tf.io.ModelArtifacts, extra: Record<string, unknown> | undefined): tf.io.ModelJSON {
  const json: tf.io.ModelJSON = {
    modelTopology: artifacts.modelTopology as object,
    weightsManifest: [{ paths: [MODEL_WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.signature != null) json.signature = artifacts.signature;
  const metadata = { ...(artifacts.userDefinedMetadata ?? {}), ...(extra ?? {}) };
  if (Object.keys(metadata).length > 0) json.userDefinedMetadata = metadata as Record<string, {}>;
  return json;
}

/**
 * Writes dir/weights.bin, then dir/model.json, each atomically (temp file in dir, then rename).
 * `extra` goes into model.json's userDefinedMetadata (tfjs gives it back through
 * model.getUserDefinedMetadata() after loading).
 */
export async function saveModel(model: tf.LayersModel, dir: string, extra?: Record<string, unknown>): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const bytes = new Uint8Array(weights);
      const weightsSha256 = createHash('sha256').update(bytes).digest('hex');
      const mlspec = { ...((extra?.['mlspec'] as Record<string, unknown> | undefined) ?? {}), weightsSha256 };
      writeFilesAtomic([
        { file: path.join(dir, MODEL_WEIGHTS_FILE), content: bytes },
        { file: path.join(dir, MODEL_JSON_FILE), content: JSON.stringify(modelJsonOf(artifacts, { ...(extra ?? {}), mlspec })) },
      ]);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}

/** model.json is topology and a manifest: far smaller than this. */
export const MODEL_JSON_MAX_BYTES = 64 * 1024 * 1024;
const MODEL_DAMAGE_ADVICE = 'train the run again or restore its folder from a copy';

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, float16: 2, uint8: 1, int8: 1, uint16: 2, int16: 2 };

/** Bytes the manifest's weights take (null when quantized or of an unknown dtype: not checked then). */
function manifestBytes(specs: readonly tf.io.WeightsManifestEntry[]): number | null {
  let total = 0;
  for (const spec of specs) {
    const dtype = spec.quantization ? spec.quantization.dtype : spec.dtype;
    const bytes = DTYPE_BYTES[dtype];
    if (bytes === undefined || !Array.isArray(spec.shape) || !spec.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return null;
    total += bytes * spec.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

/** The SHA-256 that model.json records for its weights, or null when it records none. */
export function recordedWeightsSha256(json: { userDefinedMetadata?: unknown }): string | null {
  const meta = json.userDefinedMetadata as { mlspec?: { weightsSha256?: unknown } } | undefined;
  const value = meta?.mlspec?.weightsSha256;
  return typeof value === 'string' ? value.toLowerCase() : null;
}

/** The model.json and weights of dir as tfjs model artifacts, after every check in the header comment. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const folder = path.basename(dir);
  const jsonShown = path.join(dir, MODEL_JSON_FILE);
  const damaged = (file: string, detail: string) => new DamagedFileError(path.join(folder, file), detail, MODEL_DAMAGE_ADVICE);
  const text = readRegularText(jsonShown, MODEL_JSON_MAX_BYTES);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(text) as tf.io.ModelJSON;
  } catch {
    throw damaged(MODEL_JSON_FILE, 'it is not valid JSON');
  }
  if (json === null || typeof json !== 'object' || json.modelTopology == null) throw damaged(MODEL_JSON_FILE, 'it has no model topology');
  const manifest = json.weightsManifest;
  const validGroup = (g: unknown) => {
    const group = g as { paths?: unknown; weights?: unknown } | null;
    return group !== null && typeof group === 'object' && Array.isArray(group.paths) && group.paths.every((p) => typeof p === 'string') && Array.isArray(group.weights);
  };
  if (!Array.isArray(manifest) || !manifest.every(validGroup)) throw damaged(MODEL_JSON_FILE, 'its weights manifest is not a list of paths and weights');
  const specs = manifest.flatMap((group) => group.weights);
  const expected = manifestBytes(specs);
  // Never read more than the manifest describes (plus one byte, to notice a longer file).
  const limit = expected === null ? Number.MAX_SAFE_INTEGER : expected;
  const hash = createHash('sha256');
  let total = 0;
  const buffers = manifest.flatMap((group) =>
    group.paths.map((name) => {
      const file = confinedPath(dir, name, `the model folder ${dir}`);
      const shown = path.join(folder, name);
      let bytes: Buffer;
      try {
        bytes = readRegularFile(file, Math.max(0, limit - total), shown);
      } catch (error) {
        // Longer than the manifest's weights: damage, said as such (the rest is never read).
        if (error instanceof FileReadError && error.reason.startsWith('it is larger than') && expected !== null) {
          throw damaged(name, `it holds more than the ${expected} bytes model.json describes`);
        }
        throw error;
      }
      total += bytes.length;
      hash.update(bytes);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }),
  );
  const weightsShown = manifest.flatMap((g) => g.paths).join(', ') || MODEL_WEIGHTS_FILE;
  if (expected !== null && total !== expected) throw damaged(weightsShown, `it holds ${total} bytes where model.json describes ${expected}`);
  const recorded = recordedWeightsSha256(json);
  if (recorded !== null) {
    const actual = hash.digest('hex');
    if (actual !== recorded) throw damaged(weightsShown, `its SHA-256 ${actual.slice(0, 12)}... differs from ${recorded.slice(0, 12)}... recorded in model.json`);
  }
  return {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: specs,
    weightData: tf.io.CompositeArrayBuffer.join(buffers),
  };
}

/** Loads a model written by saveModel (or by tfjs-node's model.save). */
export async function loadModel(dir: string): Promise<tf.LayersModel> {
  registerMlspecLayers();
  const artifacts = readModelArtifacts(dir);
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DamagedFileError(path.join(path.basename(dir), MODEL_JSON_FILE), `tfjs cannot build its model (${reason.slice(0, 200)})`, MODEL_DAMAGE_ADVICE);
  }
}

/**
 * The weights saved in dir, in the model's weight order, without rebuilding its topology (so no
 * layer class needs registering): what --init-from copies into a freshly built model.
 */
export function readSavedWeights(dir: string): { name: string; tensor: tf.Tensor }[] {
  const artifacts = readModelArtifacts(dir);
  const specs = artifacts.weightSpecs ?? [];
  let named: tf.NamedTensorMap;
  try {
    named = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), specs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DamagedFileError(path.join(path.basename(dir), MODEL_JSON_FILE), `its weights cannot be decoded (${reason.slice(0, 200)})`, MODEL_DAMAGE_ADVICE);
  }
  return specs.map((spec) => ({ name: spec.name, tensor: named[spec.name]! }));
}
