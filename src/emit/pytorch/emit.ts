/**
 * `mlspec compile --target pytorch`: a spec as a PyTorch program. Pure code generation: returns
 * the files (train.py, mlspec_runtime.py, tfjs_model.json, requirements.txt, README.md) and the
 * diagnostics of what the target cannot express; the CLI writes them.
 *
 * train.py holds what is particular to the spec (the Model class, one attribute per layer, and
 * the spec's settings as a dict); mlspec_runtime.py holds the parts every program shares, written
 * out as docs/semantics.md states them.
 */
import * as path from 'node:path';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { inferShapes, type Shape } from '../../ir/shapes.js';
import type { LayerKind, LayerNode, SpecIR } from '../../ir/types.js';
import type { PlanDescription } from '../../lower/plan-description.js';
import { tfjsLayerName } from '../../runtime/model.js';
import type { OutputFile } from '../compile.js';
import { DATA_GENERATOR_MAX_VALUES } from '../../runtime/data/generator-options.js';
import { imagesStream } from '../../runtime/data/images-stream-choice.js';
import { imageFolderFileCount, imageFolderJpegs } from './image-jpegs.js';
import { packedInputLines } from './packed-inputs.js';
import { pyKeywords, pyString, pythonName, pyValue } from './python-literal.js';
import { PYTORCH_RUNTIME_FILE, pytorchRuntimeSource } from './runtime-source.js';
import { tfjsModelFacts, type TfjsModelFacts } from './tfjs-template.js';

export interface PytorchEmitOptions {
  /** The spec's path as given to mlspec (shown in the header; relative data paths are rebased from its folder). */
  specPath: string;
  /** The folder the program is written to. */
  outDir: string;
  version: string;
}

export interface PytorchEmitResult {
  files: OutputFile[];
  diagnostics: Diagnostic[];
}

/** Diagnostic code: a layer or option the PyTorch target cannot express (docs/diagnostics.md, E07xx). */
export const PYTORCH_UNSUPPORTED = 'E0701';

/** The runtime class and fixed arguments of each layer kind the target supports. */
const LAYER_CLASSES: Partial<Record<LayerKind, { cls: string; extra?: Record<string, unknown> }>> = {
  dense: { cls: 'Dense' },
  activation: { cls: 'Activation' },
  dropout: { cls: 'Dropout' },
  flatten: { cls: 'Flatten' },
  reshape: { cls: 'Reshape' },
  batch_norm: { cls: 'BatchNorm' },
  layer_norm: { cls: 'LayerNorm' },
  conv1d: { cls: 'Conv' },
  conv2d: { cls: 'Conv' },
  max_pool1d: { cls: 'Pool', extra: { kind: 'max' } },
  avg_pool1d: { cls: 'Pool', extra: { kind: 'avg' } },
  max_pool2d: { cls: 'Pool', extra: { kind: 'max' } },
  avg_pool2d: { cls: 'Pool', extra: { kind: 'avg' } },
  global_max_pool1d: { cls: 'GlobalPool', extra: { kind: 'max', dims: 1 } },
  global_avg_pool1d: { cls: 'GlobalPool', extra: { kind: 'avg', dims: 1 } },
  global_max_pool2d: { cls: 'GlobalPool', extra: { kind: 'max', dims: 2 } },
  global_avg_pool2d: { cls: 'GlobalPool', extra: { kind: 'avg', dims: 2 } },
  embedding: { cls: 'Embedding' },
  lstm: { cls: 'Recurrent', extra: { kind: 'lstm' } },
  gru: { cls: 'Recurrent', extra: { kind: 'gru' } },
  simple_rnn: { cls: 'Recurrent', extra: { kind: 'simple_rnn' } },
  attention: { cls: 'SelfAttention' },
  transformer: { cls: 'Transformer' },
  positional_embedding: { cls: 'PositionalEmbedding' },
};

const MERGES = new Set<LayerKind>(['add', 'multiply', 'concat']);

/** The runtime classes whose weights' shapes need the input's feature count (`inputs=`). */
const WEIGHTED = new Set(['Dense', 'Conv', 'BatchNorm', 'LayerNorm', 'Recurrent', 'SelfAttention', 'Transformer', 'PositionalEmbedding']);

/**
 * What the target cannot express, each at the node that asks for it. Every layer kind of the
 * language has a PyTorch form today; a kind added to the language without one gets E0701 here
 * instead of a program that silently does something else.
 */
export function pytorchDiagnostics(ir: SpecIR): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const node of ir.model.nodes) {
    if (node.kind === 'input' || MERGES.has(node.kind) || LAYER_CLASSES[node.kind]) continue;
    out.push(
      diagnostic(
        PYTORCH_UNSUPPORTED,
        'error',
        `The PyTorch target has no \`${node.kind}\` layer yet (layer \`${node.name}\`); compile this spec to TypeScript (the default target) or train it with \`mlspec run\`.`,
        ir.file,
        node.span,
      ),
    );
  }
  return out;
}

/** Diagnostic code: data the PyTorch target cannot read the same way: an image folder with JPEG files, or one that streams (docs/diagnostics.md). */
export const PYTORCH_UNSUPPORTED_DATA = 'E0702';

/**
 * `images(...)`: the program decodes PNG files to pngjs's pixels (python/images.py), but no Python
 * JPEG decoder gives jpeg-js's, so a folder holding JPEG files is refused at the source rather
 * than trained on other numbers. The folder is read as the spec's checks read it, relative to the spec.
 */
function pytorchDataDiagnostics(ir: SpecIR, specPath: string): Diagnostic[] {
  const source = ir.data.source;
  if (source.kind !== 'images') return [];
  const files = imageFolderFileCount(source.path, path.dirname(specPath));
  if (files !== null && imagesStream(source, files)) {
    const why = source.stream === true ? 'asks to be streamed (`stream: true`)' : `would be streamed (its ${files} images of ${source.size.join('x')}x${source.channels} are more than ${DATA_GENERATOR_MAX_VALUES.toLocaleString('en-US')} numbers)`;
    return [
      diagnostic(
        PYTORCH_UNSUPPORTED_DATA,
        'error',
        `The PyTorch target reads image folders whole, but '${source.path}' ${why}; use fewer or smaller images, or train this spec with \`mlspec run\` or compile it to TypeScript (the default target), which stream it.`,
        ir.file,
        source.span,
      ),
    ];
  }
  const jpegs = imageFolderJpegs(source.path, path.dirname(specPath));
  if (jpegs === null || jpegs.length === 0) return [];
  const count = jpegs.length === 1 ? 'one JPEG file' : `${jpegs.length} JPEG files`;
  return [
    diagnostic(
      PYTORCH_UNSUPPORTED_DATA,
      'error',
      `The PyTorch target reads PNG images only, but the image folder '${source.path}' holds ${count} (the first: '${jpegs[0]}'); convert ${jpegs.length === 1 ? 'it' : 'them'} to PNG, or train this spec with \`mlspec run\` or compile it to TypeScript (the default target).`,
      ir.file,
      source.span,
    ),
  ];
}

function lineOf(ir: SpecIR, part: { span: { start: { line: number } } }): string {
  return `${path.basename(ir.file)}:${part.span.start.line}`;
}

/** The IR node's own options, as lowering passes them to the runtime. */
function optionsOf(node: object, ...drop: string[]): Record<string, unknown> {
  const skip = new Set(['kind', 'span', 'spans', ...drop]);
  return Object.fromEntries(Object.entries(node).filter(([key]) => !skip.has(key)));
}

function scheduleConfig(schedule: SpecIR['schedule']): Record<string, unknown> {
  if (schedule.kind === 'warmup') return { kind: 'warmup', steps: schedule.steps, unit: schedule.unit, then: scheduleConfig(schedule.then) };
  return { kind: schedule.kind, ...optionsOf(schedule) };
}

/** The metrics as (kind, options): the plan's classification options (target, from_logits) with each name. */
function metricConfigs(ir: SpecIR, plan: PlanDescription): Record<string, unknown>[] {
  const names = ir.train.metrics.filter((m) => m !== 'loss');
  return names.map((kind, i) => ({ kind, ...((plan.metrics[i]?.args[0] as Record<string, unknown> | undefined) ?? {}) }));
}

function rebasedData(plan: PlanDescription, options: PytorchEmitOptions): PlanDescription['data'] {
  const source = plan.data.source as unknown as Record<string, unknown>;
  if (source.kind !== 'csv' && source.kind !== 'images') return plan.data;
  // The data file, each split file, or the image folder: a relative path is rebased from the spec's folder to the program's.
  const rebased: Record<string, unknown> = { ...source };
  for (const option of ['path', 'train', 'validation', 'test']) {
    const value = source[option];
    if (typeof value !== 'string' || path.isAbsolute(value)) continue;
    const absolute = path.resolve(path.dirname(options.specPath), value);
    rebased[option] = path.relative(path.resolve(options.outDir), absolute).split(path.sep).join('/');
  }
  return { ...plan.data, source: rebased } as unknown as PlanDescription['data'];
}

function layerLines(ir: SpecIR, shapes: ReadonlyMap<string, Shape>): { init: string[]; forward: string[]; penalties: string[]; packed: string | null } {
  const taken = new Set<string>();
  const names = new Map(ir.model.nodes.map((node) => [node.name, pythonName(node.name, taken)]));
  const init: string[] = [];
  const forward: string[] = [];
  const penalties: string[] = [];
  const inputs = ir.model.nodes.filter((n) => n.kind === 'input').map((n) => names.get(n.name)!);
  for (const node of ir.model.nodes as LayerNode[]) {
    const own = names.get(node.name)!;
    if (node.kind === 'input') continue;
    const args = node.inputs.map((i) => names.get(i.name)!);
    if (MERGES.has(node.kind)) {
      const axis = node.kind === 'concat' ? `, axis=${(node.config as { axis: number }).axis}` : '';
      forward.push(`${own} = rt.merge(${pyString(node.kind)}, [${args.join(', ')}]${axis})  # ${lineOf(ir, node)}`);
      continue;
    }
    const layer = LAYER_CLASSES[node.kind]!;
    const inputShape = shapes.get(node.inputs[0]!.name) ?? [];
    const features = inputShape[inputShape.length - 1] ?? 0;
    const config = { ...(node.config as unknown as Record<string, unknown>), ...(layer.extra ?? {}) };
    const { l1, l2, ...rest } = config as { l1?: number; l2?: number };
    const keywords = pyKeywords(WEIGHTED.has(layer.cls) ? { inputs: features, ...rest } : rest);
    init.push(`# ${node.name}: ${node.kind} (${lineOf(ir, node)})`);
    init.push(`self.${own} = rt.${layer.cls}(${pyString(tfjsLayerName(node.name))}, seed${keywords ? `, ${keywords}` : ''})`);
    forward.push(`${own} = self.${own}(${args[0]})`);
    if ((l1 ?? 0) > 0 || (l2 ?? 0) > 0) penalties.push(`(${pyString(own)}, ${pyValue(l1 ?? 0)}, ${pyValue(l2 ?? 0)})`);
  }
  // Several inputs: x holds their columns side by side (src/runtime/layers/column-slice.ts).
  const packed = ir.model.inputs.length > 1 ? pythonName('packed_inputs', taken) : null;
  if (packed) forward.unshift(...packedInputLines(ir, names, packed));
  forward.unshift(`# ${inputs.join(', ')}: a batch, channels-last as in tfjs`);
  forward.push(`return ${names.get(ir.model.outputs[0]!)!}`);
  return { init, forward, penalties, packed };
}

export function emitPytorchProgram(ir: SpecIR, plan: PlanDescription, options: PytorchEmitOptions, facts: TfjsModelFacts): string {
  const { shapes } = inferShapes(ir.model, ir.file);
  const { init, forward, penalties, packed } = layerLines(ir, shapes);
  const inputNames = ir.model.nodes.filter((n) => n.kind === 'input').map((n) => n.name);
  const taken = new Set<string>();
  const forwardArgs = packed ? [packed] : inputNames.map((n) => pythonName(n, taken));
  const data = rebasedData(plan, options);
  const optimizer = { kind: ir.optimizer.kind, ...optionsOf(ir.optimizer, 'lr') };
  const stop = { kind: ir.train.stop.kind, ...optionsOf(ir.train.stop) };
  const clip = ir.clip ? { kind: ir.clip.kind, ...optionsOf(ir.clip) } : null;
  const loss = { kind: ir.loss.kind, ...optionsOf(ir.loss) };
  const file = path.basename(ir.file);
  const indent = (lines: string[], n: number) => lines.map((l) => `${' '.repeat(n)}${l}`).join('\n');
  const field = (name: string, value: string, comment?: string) => `${comment ? `    # ${comment}\n` : ''}    ${pyString(name)}: ${value},`;
  return `#!/usr/bin/env python3
# Generated by mlspec ${options.version.replace(/\s+/g, ' ')} from ${options.specPath.replace(/[\r\n]+/g, ' ')} (spec sha256 ${plan.specHash.slice(0, 16)}).
# Trains what \`mlspec run\` trains for this spec, on PyTorch, formula for formula (docs/semantics.md).
# Do not edit by hand: change the spec and compile again.
#
#   python3 train.py [--device auto|cpu|cuda] [--out DIR] [--epochs N] [--seed N] [--init-from RUN] [--resume RUN]
#   torchrun --nproc_per_node N train.py ...   # DistributedDataParallel; the spec's batch is the global batch
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mlspec_runtime as rt  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


class Model(rt.MlspecModel):
    """The model section (${lineOf(ir, ir.model)}). Weights in tfjs's layout, images channels-last."""

    def __init__(self, seed):
        super().__init__()
${indent(init, 8)}
        # L1/L2 penalties on kernels: (layer, l1, l2), added to the loss.
        self.penalties = [${penalties.join(', ')}]

    def forward(self, ${forwardArgs.join(', ')}):
${indent(forward, 8)}


SPEC = {
${field('name', pyString(plan.name))}
${field('specHash', pyString(plan.specHash))}
${field('data', pyValue(data), `data (${lineOf(ir, ir.data)}); relative paths are relative to this folder`)}
${field('dataBaseDir', 'HERE')}
${field('loss', pyValue(loss), `loss (${lineOf(ir, ir.loss)})`)}
${field('optimizer', pyValue(optimizer), `optimizer (${lineOf(ir, ir.optimizer)})`)}
${field('learningRate', pyValue(plan.learningRate))}
${field('clip', pyValue(clip), ir.clip ? `clip (${lineOf(ir, ir.clip)})` : 'clip: none')}
${field('schedule', pyValue(scheduleConfig(ir.schedule)), `schedule (${lineOf(ir, ir.schedule)})`)}
${field('metrics', pyValue(metricConfigs(ir, plan)), `train (${lineOf(ir, ir.train)})`)}
${field('stop', pyValue(stop))}
${field('epochs', pyValue(plan.epochs))}
${field('batch', pyValue(plan.batch), 'the global batch: under torchrun each process computes its share of it')}
${field('shuffle', pyValue(plan.shuffle))}
${field('seed', pyValue(plan.seed))}
${field('checkpointEvery', pyValue(plan.checkpointEvery), 'checkpoint every this many epochs (0: only at the end and on Ctrl-C)')}
${field('checkpointSeconds', pyValue(plan.checkpointSeconds), 'and within an epoch once this many seconds passed (0: never)')}
${field('fingerprint', pyValue(plan.fingerprint), 'digests of the parts that must not change when a run is resumed')}
${field('specSource', pyString(plan.specSource), `the spec itself, kept in each run folder as spec.mlspec (${file})`)}
${field('tfjsModel', 'rt.read_json(os.path.join(HERE, "tfjs_model.json"))', 'the tfjs layers topology that model/model.json is written with')}
${field('trainable', pyValue(facts.trainable), "the trainable weights in tfjs's order: the order of the optimizer's slots in checkpoint.bin")}
}

if __name__ == "__main__":
    sys.exit(rt.main(SPEC, Model))
`;
}

function readme(plan: PlanDescription, options: PytorchEmitOptions): string {
  return `# ${plan.name}: PyTorch training program

Generated by \`mlspec compile ${options.specPath} --target pytorch\` (mlspec ${options.version}). It trains
what \`mlspec run\` trains for this spec (same split, shuffle order, initial weights, dropout masks,
optimizer, clipping, schedule and stopping rule), and writes a run folder that \`mlspec evaluate\`
and \`mlspec predict\` read.

    pip install -r requirements.txt          # or Debian: apt install python3-torch python3-numpy
    python3 train.py --out runs/first        # --device auto|cpu|cuda, --epochs N, --seed N, --init-from RUN
    python3 train.py --resume runs/first --epochs 50        # continue from its checkpoint.pt (any number of processes)
    torchrun --nproc_per_node 4 train.py --out runs/ddp     # DistributedDataParallel (gloo on CPU, NCCL on CUDA)
    mlspec evaluate runs/first --data DATA.csv

Several machines: run the same command on each, with \`--nnodes M --node_rank I
--rdzv_backend c10d --rdzv_endpoint HOST:PORT\`. The spec's batch is the global batch, split
across all processes, so any number of processes computes the same steps as one.

Files: \`train.py\` (the model and the spec's settings), \`mlspec_runtime.py\` (shared support code),
\`tfjs_model.json\` (the tfjs topology saved with each model). See mlspec's docs/pytorch.md.
`;
}

export function emitPytorch(ir: SpecIR, plan: PlanDescription, options: PytorchEmitOptions): PytorchEmitResult {
  const diagnostics = [...pytorchDiagnostics(ir), ...pytorchDataDiagnostics(ir, options.specPath)];
  if (diagnostics.length > 0) return { files: [], diagnostics };
  const dir = options.outDir;
  const facts = tfjsModelFacts(plan.graph, plan.seed);
  return {
    diagnostics,
    files: [
      { path: path.join(dir, 'train.py'), content: emitPytorchProgram(ir, plan, options, facts) },
      { path: path.join(dir, PYTORCH_RUNTIME_FILE), content: pytorchRuntimeSource() },
      { path: path.join(dir, 'tfjs_model.json'), content: `${JSON.stringify(facts.template)}\n` },
      { path: path.join(dir, 'requirements.txt'), content: 'torch>=1.13\nnumpy\n' },
      { path: path.join(dir, 'README.md'), content: readme(plan, options) },
    ],
  };
}
