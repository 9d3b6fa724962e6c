/**
 * The semantic checks, run over a built IR. Each rule lives in its own file; shape inference and
 * the data facts are computed at most once per call and shared by the rules that need them.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { inferShapes, type ShapeInference } from '../ir/shapes.js';
import type { SpecIR } from '../ir/types.js';
import { cycles } from './cycles.js';
import { dataColumns } from './data-columns.js';
import { readDataFacts, type DataFacts } from './data-facts.js';
import { dataFile } from './data-file.js';
import { dataReshape } from './data-reshape.js';
import { duplicateNames } from './duplicate-names.js';
import { forwardReferences } from './forward-references.js';
import { fullBatchGd } from './full-batch-gd.js';
import { inputCounts } from './input-counts.js';
import { inputDtype } from './input-dtype.js';
import { inputShape } from './input-shape.js';
import { layerShapes } from './layer-shapes.js';
import { logitsActivation } from './logits-activation.js';
import { lossLabels } from './loss-labels.js';
import { modelInputsOutputs } from './model-inputs-outputs.js';
import { DEFAULT_MAX_PARAMS, modelSize } from './model-size.js';
import { monitorNames } from './monitor-names.js';
import { normalizeTokens } from './normalize-tokens.js';
import { optionDomains } from './option-domains.js';
import { outputActivation } from './output-activation.js';
import { outputRank } from './output-rank.js';
import { outputUnits } from './output-units.js';
import type { CheckContext, CheckRule, RuleContext } from './rule.js';
import { scheduleLists } from './schedule-lists.js';
import { splitRatios } from './split-ratios.js';
import { stratifyLabels } from './stratify-labels.js';
import { undefinedReferences } from './undefined-references.js';
import { unusedNodes } from './unused-nodes.js';
import { validationMonitors } from './validation-monitors.js';

export type { CheckContext, CheckRule, RuleContext } from './rule.js';
export { DEFAULT_MAX_PARAMS } from './model-size.js';

export const rules: readonly CheckRule[] = [
  // graph
  duplicateNames,
  undefinedReferences,
  forwardReferences,
  cycles,
  inputCounts,
  modelInputsOutputs,
  unusedNodes,
  // shapes and size
  layerShapes,
  modelSize,
  // hyperparameter domains
  optionDomains,
  splitRatios,
  scheduleLists,
  // data
  dataFile,
  dataColumns,
  dataReshape,
  normalizeTokens,
  stratifyLabels,
  // loss, output and data
  lossLabels,
  outputUnits,
  outputRank,
  logitsActivation,
  outputActivation,
  inputShape,
  inputDtype,
  fullBatchGd,
  validationMonitors,
  monitorNames,
];

export function checkSpec(ir: SpecIR, context: CheckContext): Diagnostic[] {
  let shapes: ShapeInference | undefined;
  let data: DataFacts | undefined;
  const ruleContext: RuleContext = {
    ...context,
    maxParams: context.maxParams ?? DEFAULT_MAX_PARAMS,
    shapes: () => (shapes ??= inferShapes(ir.model, context.file)),
    data: () => (data ??= readDataFacts(ir.data, context.baseDir, context.file)),
  };
  return rules.flatMap((rule) => rule.check(ir, ruleContext));
}
