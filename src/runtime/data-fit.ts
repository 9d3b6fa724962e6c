/**
 * The data read when a run starts must still fit the model the spec was checked with. `mlspec run`
 * checks the spec (and its data) just before, but a compiled program reads its data whenever it
 * runs: a 4th class in the file trained silently into a 3-unit output (exit 0), a 5th column failed
 * inside tfjs (exit 70). Both are refused here, before training, by the one runtime both share.
 */
import type * as tf from '@tensorflow/tfjs';
import type { PreparedData } from './contracts.js';
import { echoValue } from './safe-text.js';

const dataFitShapeText = (shape: readonly (number | null)[]): string => `[${shape.join(', ')}]`;

const AFTER_CHANGE = 'the data changed since the spec was checked (a compiled program reads its data when it runs); check the spec again with mlspec check, and compile it again';

/** A sentence when the data does not fit the model's input or output, else null. */
export function dataFitProblem(model: tf.LayersModel, data: PreparedData, lossName: string): string | null {
  if (model.inputs.length === 1) {
    const want = model.inputs[0]!.shape.slice(1);
    const have = data.train.x.shape.slice(1);
    if (dataFitShapeText(want) !== dataFitShapeText(have)) {
      return `The data's samples have shape ${dataFitShapeText(have)} (${data.featureNames.length} feature columns) but the model's input is ${dataFitShapeText(want)}; ${AFTER_CHANGE}.`;
    }
  }
  const classes = data.labels;
  if (classes !== null && model.outputs.length === 1) {
    const outputShape = model.outputs[0]!.shape;
    const units = outputShape[outputShape.length - 1];
    const names = classes.slice(0, 10).map((name) => echoValue(name, 40)).join(', ') + (classes.length > 10 ? ', ...' : '');
    const multiClass = lossName === 'sparse_categorical_cross_entropy' || lossName === 'categorical_cross_entropy';
    if (multiClass && typeof units === 'number' && units !== classes.length) {
      return `The data has ${classes.length} classes (${names}) but the model's output has ${units} units; ${AFTER_CHANGE}.`;
    }
    if (lossName === 'binary_cross_entropy' && classes.length > 2) {
      return `The data has ${classes.length} classes (${names}) but binary_cross_entropy takes two; ${AFTER_CHANGE}.`;
    }
  }
  return null;
}
