/**
 * The semantic checks, run over the parts of the spec that could be built. Each rule lives in its
 * own file and runs when every part it needs is present; shape inference and the data facts are
 * computed at most once per call and shared by the rules that need them.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { inferShapes, type ShapeInference } from '../ir/shapes.js';
import { cycles } from './cycles.js';
import { dataColumns } from './data-columns.js';
import { dataTypedColumns } from './data-typed-columns.js';
import { dataTextFeatures } from './data-text-features.js';
import { inputColumns } from './input-columns.js';
import { readDataFacts, type DataFacts } from './data-facts.js';
import { dataFile } from './data-file.js';
import { dataSplitFiles } from './data-split-files.js';
import { dataStream } from './data-stream.js';
import { dataGeneratedSize } from './data-generated-size.js';
import { dataImageOptions } from './data-image-options.js';
import { dataLabelValues } from './data-label-values.js';
import { dataOrder } from './data-order.js';
import { dataReshape } from './data-reshape.js';
import { duplicateNames } from './duplicate-names.js';
import { forwardReferences } from './forward-references.js';
import { fullBatchGd } from './full-batch-gd.js';
import { inputCounts } from './input-counts.js';
import { inputDtype } from './input-dtype.js';
import { inputShape } from './input-shape.js';
import { layerShapes } from './layer-shapes.js';
import { logitsActivation } from './logits-activation.js';
import { metricTargets } from './metric-targets.js';
import { lossLabels } from './loss-labels.js';
import { modelDepth } from './model-depth.js';
import { modelInputsOutputs } from './model-inputs-outputs.js';
import { DEFAULT_MAX_PARAMS, modelSize } from './model-size.js';
import { monitorNames } from './monitor-names.js';
import { normalizeTokens } from './normalize-tokens.js';
import { optionDomains } from './option-domains.js';
import { optionMagnitudes } from './option-magnitudes.js';
import { outputActivation } from './output-activation.js';
import { outputRank } from './output-rank.js';
import { outputUnits } from './output-units.js';
import type { CheckContext, CheckRule, PartialSpecIR, RuleContext, SpecPart, SpecWith } from './rule.js';
import { scheduleLists } from './schedule-lists.js';
import { singleClass } from './single-class.js';
import { splitRatios } from './split-ratios.js';
import { stratifyLabels } from './stratify-labels.js';
import { trainLength } from './train-length.js';
import { undefinedReferences } from './undefined-references.js';
import { unusedNodes } from './unused-nodes.js';
import { validationMonitors } from './validation-monitors.js';

export type { CheckContext, CheckRule, PartialSpecIR, RuleContext, SpecPart, SpecWith } from './rule.js';
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
  modelDepth,
  // hyperparameter domains
  optionDomains,
  optionMagnitudes,
  splitRatios,
  scheduleLists,
  trainLength,
  // data
  dataFile,
  dataSplitFiles,
  dataStream,
  dataGeneratedSize,
  dataImageOptions,
  dataColumns,
  dataTypedColumns,
  dataTextFeatures,
  inputColumns,
  dataReshape,
  normalizeTokens,
  stratifyLabels,
  dataLabelValues,
  dataOrder,
  // loss, output and data
  lossLabels,
  singleClass,
  metricTargets,
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

/** Runs every rule whose parts are all present in `ir` (a full SpecIR runs them all). */
export function checkSpec(ir: PartialSpecIR, context: CheckContext): Diagnostic[] {
  let shapes: ShapeInference | undefined;
  let data: DataFacts | undefined;
  // Rules that declare the model (or data) are the only ones that see shapes() (or data()).
  const ruleContext: RuleContext = {
    ...context,
    maxParams: context.maxParams ?? DEFAULT_MAX_PARAMS,
    shapes: () => (shapes ??= inferShapes(ir.model!, context.file)),
    data: () => (data ??= readDataFacts(ir.data!, context.baseDir, context.file)),
  };
  return rules
    .filter((rule) => rule.needs.every((part) => ir[part] !== undefined))
    .flatMap((rule) => rule.check(ir as SpecWith<SpecPart>, ruleContext));
}
