/**
 * Saving and loading models in the standard tfjs layers format: dir/model.json (topology +
 * weights manifest) and dir/weights.bin, the same files tfjs-node's model.save('file://dir')
 * writes, so tf.loadLayersModel can read them (after registerMlspecLayers() for mlspec's layers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { registerMlspecLayers } from './layers/register.js';
import { writeFileAtomic } from './tensor-file.js';

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
      writeFileAtomic(path.join(dir, MODEL_WEIGHTS_FILE), new Uint8Array(weights));
      writeFileAtomic(path.join(dir, MODEL_JSON_FILE), JSON.stringify(modelJsonOf(artifacts, extra)));
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

/** The model.json and weights.bin of dir as tfjs model artifacts. */
export function readModelArtifacts(dir: string): tf.io.ModelArtifacts {
  const jsonPath = path.join(dir, MODEL_JSON_FILE);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as tf.io.ModelJSON;
  } catch (error) {
    throw new Error(`cannot read the model in ${dir}: ${(error as Error).message}`);
  }
  const specs = json.weightsManifest.flatMap((group) => group.weights);
  const buffers = json.weightsManifest.flatMap((group) =>
    group.paths.map((file) => {
      const bytes = fs.readFileSync(path.join(dir, file));
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    }),
  );
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
  return tf.loadLayersModel(tf.io.fromMemory(readModelArtifacts(dir)));
}

/**
 * The weights saved in dir, in the model's weight order, without rebuilding its topology (so no
 * layer class needs registering): what --init-from copies into a freshly built model.
 */
export function readSavedWeights(dir: string): { name: string; tensor: tf.Tensor }[] {
  const artifacts = readModelArtifacts(dir);
  const specs = artifacts.weightSpecs ?? [];
  const named = tf.io.decodeWeights(artifacts.weightData ?? new ArrayBuffer(0), specs);
  return specs.map((spec) => ({ name: spec.name, tensor: named[spec.name]! }));
}
