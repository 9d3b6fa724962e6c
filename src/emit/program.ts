/**
 * Emits a standalone TypeScript training program for a lowered spec, with ts-morph: the
 * runtime declarations the plan calls (copied, with what they reference), then the plan
 * itself as literal factory calls, then the entry point. Pure: returns text, writes nothing.
 */
import * as path from 'node:path';
import { CodeBlockWriter, IndentationText, Project, QuoteKind, VariableDeclarationKind } from 'ts-morph';
import type { SpecIR } from '../ir/types.js';
import { isPlanCall, isPlanRef, type PlanArg, type PlanCall, type PlanDescription } from '../lower/plan-description.js';
import { collectDeclarations, neededImports, type RuntimeIndex } from './runtime-index.js';

export interface EmitOptions {
  /** The spec's path as given to mlspec (shown in the header). */
  specPath: string;
  /** Where the program will be written; relative data paths are rebased from the spec's folder to its folder. */
  outFile: string;
  /** mlspec's version, for the header. */
  version: string;
}

/** Runtime entry points every program uses, besides the factories the plan calls. */
const PROGRAM_ROOTS = ['runProgram', 'programDir', 'TrainingPlan'];

/** Text that is safe inside a `//` comment: no line breaks of any kind. */
export function commentSafe(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '?');
}

/** A JSON value as a TypeScript literal: strings through JSON.stringify, so every quote, backtick, `${` and line break is escaped. */
function literal(value: unknown): string {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return JSON.stringify(value);
}

/** Object keys are quoted unless they are plain identifiers. */
function key(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : literal(name);
}

function writeValue(writer: CodeBlockWriter, value: PlanArg | undefined): void {
  if (value === undefined || value === null || typeof value !== 'object') {
    writer.write(literal(value ?? null));
    return;
  }
  if (isPlanCall(value)) {
    writeCall(writer, value);
    return;
  }
  if (isPlanRef(value)) {
    writer.write(value.$ref);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      writer.write('[]');
      return;
    }
    writer.write('[');
    value.forEach((item, i) => {
      if (i > 0) writer.write(', ');
      writeValue(writer, item);
    });
    writer.write(']');
    return;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) {
    writer.write('{}');
    return;
  }
  writer.write('{ ');
  entries.forEach(([k, v], i) => {
    if (i > 0) writer.write(', ');
    writer.write(`${key(k)}: `);
    writeValue(writer, v);
  });
  writer.write(' }');
}

function writeCall(writer: CodeBlockWriter, c: PlanCall): void {
  writer.write(`${c.$call}(`);
  c.args.forEach((arg, i) => {
    if (i > 0) writer.write(', ');
    writeValue(writer, arg);
  });
  writer.write(')');
}

function callNames(plan: PlanDescription): string[] {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (isPlanCall(value)) names.add(value.$call);
    if (isPlanRef(value)) names.add(value.$ref);
    if (value && typeof value === 'object') for (const v of Object.values(value)) visit(v);
  };
  visit([plan.layers, plan.source, plan.loss, plan.optimizer, plan.clip, plan.schedule, plan.metrics, plan.stop]);
  return [...names].sort();
}

/** The data config with a relative CSV path (or image folder) rebased from the spec's folder to the program's folder. */
function rebaseData(plan: PlanDescription, options: EmitOptions): PlanDescription['data'] {
  const source = plan.data.source as unknown as Record<string, unknown>;
  if (source.kind !== 'csv' && source.kind !== 'images') return plan.data;
  // The data file, each split file, or the image folder: a relative path is rebased from the spec's folder to the program's.
  const rebased: Record<string, unknown> = { ...source };
  for (const option of ['path', 'train', 'validation', 'test']) {
    const value = source[option];
    if (typeof value !== 'string' || path.isAbsolute(value)) continue;
    const absolute = path.resolve(path.dirname(options.specPath), value);
    rebased[option] = path.relative(path.dirname(path.resolve(options.outFile)), absolute).split(path.sep).join('/');
  }
  return { ...plan.data, source: rebased } as unknown as PlanDescription['data'];
}

/** Writes an initializer with its own writer, so it is indented from column 0 with two spaces. */
function planLiteral(write: (writer: CodeBlockWriter) => void): string {
  const writer = new CodeBlockWriter({ indentNumberOfSpaces: 2, useSingleQuote: false });
  write(writer);
  return writer.toString();
}

function lineOf(ir: SpecIR, part: { span: { start: { line: number } } }): string {
  return `${commentSafe(path.basename(ir.file))}:${part.span.start.line}`;
}

export function emitProgram(ir: SpecIR, plan: PlanDescription, index: RuntimeIndex, options: EmitOptions): string {
  const roots = [...PROGRAM_ROOTS, ...callNames(plan)];
  const decls = collectDeclarations(index, roots);
  const imports = neededImports(index, decls);

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single },
  });
  const file = project.createSourceFile('program.ts', '', { overwrite: true });
  for (const imp of imports) {
    const named = [...imp.named.entries()].sort(([a], [b]) => a.localeCompare(b));
    if (imp.namespace) file.addImportDeclaration({ moduleSpecifier: imp.module, namespaceImport: imp.namespace });
    if (imp.defaultName || named.length > 0) {
      file.addImportDeclaration({
        moduleSpecifier: imp.module,
        defaultImport: imp.defaultName ?? undefined,
        namedImports: named.map(([local, imported]) => ({
          name: imported,
          alias: local === imported ? undefined : local,
          isTypeOnly: imp.typeOnly.has(local),
        })),
      });
    }
    if (imp.sideEffect && !imp.namespace && !imp.defaultName && named.length === 0) file.addImportDeclaration({ moduleSpecifier: imp.module });
  }

  file.insertStatements(0, [
    `// Generated by mlspec ${commentSafe(options.version)} from ${commentSafe(options.specPath)} (spec sha256 ${plan.specHash.slice(0, 16)}).`,
    '// Trains exactly what `mlspec run` trains for this spec. Do not edit by hand: change the spec and compile again.',
    `// Run it: npx tsx ${commentSafe(path.basename(options.outFile))} [--backend wasm|cpu] [--out DIR] [--epochs N] [--seed N] [--resume DIR]`,
    '',
  ]);

  // The copied runtime goes between the imports and the plan as text: it is already formatted
  // TypeScript, and inserting 100+ KB through ts-morph would re-parse it after every change.
  const runtimeText: string[] = [];
  let currentFile = '';
  for (const decl of decls) {
    if (decl.file !== currentFile) {
      runtimeText.push(`// ---- mlspec runtime: ${decl.file}`);
      currentFile = decl.file;
    }
    runtimeText.push(decl.text, '');
  }
  const head = file.getFullText();
  const tail = project.createSourceFile('plan.ts', '', { overwrite: true });
  tail.addStatements('// ---- The spec, as factory calls of the runtime above.');
  tail.addVariableStatement({
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{ name: 'programFolder', initializer: 'programDir(import.meta.url)' }],
    leadingTrivia: '// Relative data paths are resolved against the folder this program is in.\n',
  });
  const data = rebaseData(plan, options);
  const planText = planLiteral((writer) => {
          writer.write('{').newLine();
          writer.indent(() => {
            const field = (name: string, write: () => void, comment?: string) => {
              if (comment) writer.writeLine(`// ${comment}`);
              writer.write(`${name}: `);
              write();
              writer.write(',').newLine();
            };
            field('name', () => writer.write(literal(plan.name)));
            field('specHash', () => writer.write(literal(plan.specHash)));
            field('specSource', () => writer.write(literal(plan.specSource)));
            writer.writeLine(`// model (${lineOf(ir, ir.model)})`);
            writer.write('graph: {').newLine();
            writer.indent(() => {
              writer.write('nodes: [').newLine();
              writer.indent(() => {
                ir.model.nodes.forEach((node, i) => {
                  const g = plan.graph.nodes[i]!;
                  writer.writeLine(`// ${commentSafe(node.name)}: ${node.kind} (${lineOf(ir, node)})`);
                  writeValue(writer, g as unknown as PlanArg);
                  writer.write(',').newLine();
                });
              });
              writer.write('],').newLine();
              writer.write('inputs: ');
              writeValue(writer, plan.graph.inputs);
              writer.write(',').newLine();
              writer.write('outputs: ');
              writeValue(writer, plan.graph.outputs);
              writer.write(',').newLine();
            });
            writer.write('},').newLine();
            field('layers', () => writeValue(writer, plan.layers));
            field('source', () => writeCall(writer, { ...plan.source, args: [data.source as unknown as PlanArg] }), `data (${lineOf(ir, ir.data)})`);
            field('data', () => writeValue(writer, data as unknown as PlanArg));
            field('dataBaseDir', () => writer.write('programFolder'));
            field('loss', () => writeCall(writer, plan.loss), `loss (${lineOf(ir, ir.loss)})`);
            field('optimizer', () => writeCall(writer, plan.optimizer), `optimizer (${lineOf(ir, ir.optimizer)})`);
            field('learningRate', () => writer.write(literal(plan.learningRate)));
            field('clip', () => (plan.clip ? writeCall(writer, plan.clip) : writer.write('null')), ir.clip ? `clip (${lineOf(ir, ir.clip)})` : undefined);
            field('schedule', () => writeCall(writer, plan.schedule), `schedule (${lineOf(ir, ir.schedule)})`);
            field('metrics', () => writeValue(writer, plan.metrics as unknown as PlanArg), `train (${lineOf(ir, ir.train)})`);
            field('stop', () => writeCall(writer, plan.stop));
            field('epochs', () => writer.write(literal(plan.epochs)));
            field('batch', () => writer.write(literal(plan.batch)));
            field('shuffle', () => writer.write(literal(plan.shuffle)));
            field('seed', () => writer.write(literal(plan.seed)));
            field('checkpointEvery', () => writer.write(literal(plan.checkpointEvery)));
            field('checkpointSeconds', () => writer.write(literal(plan.checkpointSeconds)));
            field('fingerprint', () => writeValue(writer, plan.fingerprint));
          });
          writer.write('}');
  });
  tail.addStatements(`const plan: TrainingPlan = ${planText};`);
  tail.addStatements('process.exitCode = await runProgram(plan, process.argv.slice(2));');
  return `${head}\n${runtimeText.join('\n')}\n${tail.getFullText()}`;
}
