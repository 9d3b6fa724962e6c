/**
 * The model summary of the report, read from the built tfjs model itself (not from the spec),
 * so it shows what was actually trained: each layer's name, mlspec kind, tfjs class, output
 * shape and parameter count.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelGraph } from '../contracts.js';
import { tfjsLayerName } from '../model.js';

export interface ReportLayerRow {
  name: string;
  /** The mlspec layer kind from the spec's graph (dense, conv2d, ...), or '' if unknown. */
  kind: string;
  /** The tfjs class name (Dense, Conv2D, InputLayer, ...). */
  className: string;
  /** Output shape without the batch dimension, e.g. "[8, 8, 32]"; several outputs are joined by " ". */
  outputShape: string;
  params: number;
}

export interface ReportModelTable {
  layers: ReportLayerRow[];
  totalParams: number;
  trainableParams: number;
}

function reportShapeText(shape: tf.Shape | tf.Shape[]): string {
  const one = (s: tf.Shape) => `[${s.slice(1).map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
  return Array.isArray(shape[0]) ? (shape as tf.Shape[]).map(one).join(' ') : one(shape as tf.Shape);
}

function reportWeightCount(weights: readonly tf.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + w.shape.reduce((product: number, d) => product * (d ?? 1), 1), 0);
}

export function reportModelTable(model: tf.LayersModel, graph: ModelGraph | null): ReportModelTable {
  // Layers carry the node's tfjs name (model.ts tfjsLayerName); the table shows the spec's name.
  const nodes = new Map((graph?.nodes ?? []).map((node) => [tfjsLayerName(node.name), node]));
  const layers = model.layers.map((layer) => ({
    name: nodes.get(layer.name)?.name ?? layer.name,
    kind: nodes.get(layer.name)?.layer ?? '',
    className: layer.getClassName(),
    outputShape: reportShapeText(layer.outputShape),
    params: layer.countParams(),
  }));
  return {
    layers,
    totalParams: layers.reduce((sum, layer) => sum + layer.params, 0),
    trainableParams: reportWeightCount(model.trainableWeights),
  };
}
