/**
 * The tfjs side of a PyTorch program's run folder: the model.json that `mlspec run` would save for
 * this spec (the layers topology and the weights manifest, without weight values). The PyTorch
 * program writes this JSON next to the weights.bin it fills in manifest order, so `mlspec evaluate`
 * and `mlspec predict` load its models like any other. Pure: builds the model in memory, writes nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../../runtime/contracts.js';
import { MLSPEC_LAYER_FACTORIES } from '../../runtime/layers/graph-layers.js';
import { MODEL_WEIGHTS_FILE } from '../../runtime/model-io.js';
import { buildModelWith } from '../../runtime/model.js';

export interface TfjsWeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

export interface TfjsModelTemplate {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: TfjsWeightSpec[] }[];
  format: string;
  generatedBy: string;
  convertedBy: null;
}

/** The model.json template and the names of the trainable weights in tfjs's order (the order of the optimizer's slots in a checkpoint). */
export interface TfjsModelFacts {
  template: TfjsModelTemplate;
  trainable: string[];
}

/** The model.json of the spec's tfjs model, with the weights manifest in tfjs's weight order. */
export function tfjsModelFacts(graph: ModelGraph, seed: number): TfjsModelFacts {
  // Production mode: no debug checks, and no "install tfjs-node" banner from the cpu backend.
  tf.enableProdMode();
  // The initial weights are drawn (and thrown away) on the cpu backend, which starts synchronously;
  // whatever backend the process had is put back afterwards.
  const previous = (tf.engine() as unknown as { backendName: string | null }).backendName;
  void tf.setBackend('cpu');
  const built = buildModelWith(graph, seed, MLSPEC_LAYER_FACTORIES);
  try {
    const weights = built.model.weights.map((w) => ({ name: w.originalName, shape: [...w.shape] as number[], dtype: w.dtype }));
    const template: TfjsModelTemplate = {
      modelTopology: built.model.toJSON(null, false),
      weightsManifest: [{ paths: [MODEL_WEIGHTS_FILE], weights }],
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: null,
    };
    return { template, trainable: built.model.trainableWeights.map((w) => w.originalName) };
  } finally {
    built.model.dispose();
    if (previous && previous !== 'cpu') void tf.setBackend(previous);
  }
}
