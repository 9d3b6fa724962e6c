/**
 * The PyTorch emitter and `mlspec compile --target pytorch`: which files, a PyTorch form for every
 * layer kind (and a located diagnostic for a kind without one), valid Python for every example,
 * and the CLI's usage errors.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCommand, type CompileCommandOptions } from '../../src/cli/commands/compile.js';
import type { CliIO } from '../../src/cli/cli-io.js';
import { emitPytorch, PYTORCH_UNSUPPORTED, PYTORCH_UNSUPPORTED_DATA, pytorchDiagnostics } from '../../src/emit/pytorch/emit.js';
import { pythonName, pyValue } from '../../src/emit/pytorch/python-literal.js';
import { analyze } from '../../src/frontend.js';
import { layerSchemas } from '../../src/ir/schema/layers.js';
import type { LayerNode } from '../../src/ir/types.js';
import { lowerSpec } from '../../src/lower/lower.js';
import { EXAMPLES, ROOT } from './emit-helpers.js';
import { PYTHON } from './pytorch-helpers.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlspec-torch-emit-'));
/** `mlspec compile ...` in this process (the CLI's own command function, with captured output). */
function compile(file: string, options: CompileCommandOptions): { status: number; stderr: string } {
  let stderr = '';
  const io: CliIO = { stdout: () => {}, stderr: (text) => (stderr += text), color: false, interactive: false, cwd: work };
  return { status: compileCommand(file, options, io), stderr };
}

function emitExample(name: string) {
  const file = path.join(ROOT, 'examples', `${name}.mlspec`);
  const source = fs.readFileSync(file, 'utf8');
  const { ir } = analyze(source, file);
  return emitPytorch(ir!, lowerSpec(ir!, source), { specPath: file, outDir: path.join(work, name), version: 'test' });
}

describe('emitPytorch', () => {
  it('compiles every example to valid Python', () => {
    const compiled: string[] = [];
    for (const name of EXAMPLES) {
      const { files, diagnostics } = emitExample(name);
      if (diagnostics.length === 0) {
        expect(files.map((f) => path.basename(f.path))).toEqual(['train.py', 'mlspec_runtime.py', 'tfjs_model.json', 'requirements.txt', 'README.md']);
        for (const f of files) {
          fs.mkdirSync(path.dirname(f.path), { recursive: true });
          fs.writeFileSync(f.path, f.content);
        }
        compiled.push(name);
        continue;
      }
      expect(files).toEqual([]);
      // An image folder with JPEG files has no PyTorch form (E0702, pinned below).
      if (diagnostics.every((d) => d.code === PYTORCH_UNSUPPORTED_DATA)) continue;
      for (const d of diagnostics) {
        expect(d.code).toBe(PYTORCH_UNSUPPORTED);
        expect(d.severity).toBe('error');
        expect(d.span.start.line).toBeGreaterThan(1);
        expect(d.message).toMatch(/^The PyTorch target has no `\w+` layer yet \(layer `\w+`\)/);
      }
    }
    expect(compiled).toEqual(EXAMPLES.filter((name) => name !== 'digits_images'));
    // Every compiled program is valid Python.
    const check = spawnSync(PYTHON, ['-m', 'py_compile', ...compiled.flatMap((n) => [path.join(work, n, 'train.py'), path.join(work, n, 'mlspec_runtime.py')])], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('has a PyTorch form for every layer kind of the language', () => {
    const file = path.join(ROOT, 'examples', 'reverse_transformer.mlspec');
    const { ir } = analyze(fs.readFileSync(file, 'utf8'), file);
    for (const kind of Object.keys(layerSchemas)) {
      const node = { ...ir!.model.nodes[1]!, kind } as LayerNode;
      expect(pytorchDiagnostics({ ...ir!, model: { ...ir!.model, nodes: [ir!.model.nodes[0]!, node] } }), kind).toEqual([]);
    }
  });

  it('reports a layer kind it lacks at that layer, and writes nothing', () => {
    const file = path.join(ROOT, 'examples', 'reverse_transformer.mlspec');
    const source = fs.readFileSync(file, 'utf8');
    const { ir } = analyze(source, file);
    const nodes = ir!.model.nodes.map((n) => (n.kind === 'transformer' ? ({ ...n, kind: 'capsule' } as unknown as LayerNode) : n));
    const doctored = { ...ir!, model: { ...ir!.model, nodes } };
    const { files, diagnostics } = emitPytorch(doctored, lowerSpec(ir!, source), { specPath: file, outDir: path.join(work, 'doctored'), version: 'test' });
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.span.start.line, d.span.start.column])).toEqual([
      [PYTORCH_UNSUPPORTED, 'error', 9, 3],
      [PYTORCH_UNSUPPORTED, 'error', 10, 3],
    ]);
    expect(diagnostics[0]!.message).toBe(
      'The PyTorch target has no `capsule` layer yet (layer `transformer_1`); compile this spec to TypeScript (the default target) or train it with `mlspec run`.',
    );
  });

  it('refuses an image folder holding JPEG files at the source (E0702), and writes nothing', () => {
    const { files, diagnostics } = emitExample('digits_images');
    expect(files).toEqual([]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.span.start.line, d.span.start.column, d.message])).toEqual([
      [
        PYTORCH_UNSUPPORTED_DATA,
        'error',
        17,
        11,
        "The PyTorch target reads PNG images only, but the image folder 'data/digit_images' holds 100 JPEG files (the first: '0/0036.jpg'); convert them to PNG, or train this spec with `mlspec run` or compile it to TypeScript (the default target).",
      ],
    ]);
  });

  it('writes the model as one attribute per layer with tfjs names and the spec lines', () => {
    const train = emitExample('digits_cnn').files[0]!.content;
    expect(train).toContain('self.conv2d_1 = rt.Conv("conv2d_1", seed, inputs=1, filters=32, kernel=[3, 3], stride=[1, 1], padding="same", activation="relu"');
    expect(train).toContain('# batch_norm_1: batch_norm (digits_cnn.mlspec:8)');
    expect(train).toContain('dense_1 = self.dense_1(dropout_1)');
    expect(train).toContain('self.max_pool2d_1 = rt.Pool("max_pool2d_1", seed, size=[2, 2], stride=[2, 2], padding="valid", kind="max")');
    expect(train).toContain('"schedule": {"kind": "plateau", "monitor": "val_loss", "mode": "min", "factor": 0.5, "patience": 3');
  });
});

describe('python literals and names', () => {
  it('keeps names that are identifiers and renames keywords and nn.Module attributes', () => {
    const taken = new Set<string>();
    expect(['h', 'class', 'training', 'h', '__init__'].map((n) => pythonName(n, taken))).toEqual(['h', 'class_layer', 'training_layer', 'h_2', '__init___layer']);
  });

  it('writes JSON as Python', () => {
    expect(pyValue({ a: [true, false, null], 'b"': 'x\ny', n: 1e-7, big: Infinity })).toBe('{"a": [True, False, None], "b\\"": "x\\ny", "n": 1e-7, "big": float("inf")}');
  });
});

describe('mlspec compile --target', () => {
  it('pytorch writes the program folder', () => {
    const result = compile(path.join(ROOT, 'examples/iris.mlspec'), { target: 'pytorch', out: 'iris-torch' });
    expect(result.status, result.stderr).toBe(0);
    expect(fs.readdirSync(path.join(work, 'iris-torch')).sort()).toEqual(['README.md', 'mlspec_runtime.py', 'requirements.txt', 'tfjs_model.json', 'train.py']);
    expect(fs.readFileSync(path.join(work, 'iris-torch', 'requirements.txt'), 'utf8')).toBe('torch>=1.13\nnumpy\n');
  });

  it('refuses an unknown target and a .ts output for pytorch as usage errors', () => {
    const unknown = compile(path.join(ROOT, 'examples/iris.mlspec'), { target: 'rust' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("mlspec compile: --target must be one of typescript, pytorch, not 'rust'.\n");
    const file = compile(path.join(ROOT, 'examples/iris.mlspec'), { target: 'pytorch', out: 'x.ts' });
    expect(file.status).toBe(2);
    expect(file.stderr).toMatch(/give -o a folder/);
  });

  it('still compiles to TypeScript by default', () => {
    const result = compile(path.join(ROOT, 'examples/classic.mlspec'), { out: 'classic.ts' });
    expect(result.status, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(work, 'classic.ts'), 'utf8')).toMatch(/^\/\/ Generated by mlspec/);
  });
});
