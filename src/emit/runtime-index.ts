/**
 * An index of the runtime's top-level declarations, read from src/runtime/*.ts with ts-morph,
 * so that `mlspec compile` can copy exactly the declarations a spec needs (and everything they
 * reference, transitively) into the generated program. This is how the compiled program and
 * `mlspec run` share one implementation of the training semantics.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, SyntaxKind, type SourceFile, type Statement } from 'ts-morph';

export interface ExternalImport {
  module: string;
  /** `import * as tf from '...'`: the local name. */
  namespace: string | null;
  /** `import x from '...'`. */
  defaultName: string | null;
  /** Named imports: local name -> imported name. */
  named: Map<string, string>;
  /** Named imports that are type-only. */
  typeOnly: Set<string>;
  /** `import '...'` for its side effects. */
  sideEffect: boolean;
}

export interface RuntimeDeclaration {
  /** Names this statement declares (several for `const a = 1, b = 2`). */
  names: string[];
  /** Path relative to the runtime folder, with forward slashes. */
  file: string;
  /** Source order within the file. */
  index: number;
  /** The statement's text, JSDoc included, without `export`. */
  text: string;
  /** Top-level runtime names and external import locals this statement refers to. */
  references: Set<string>;
}

export interface RuntimeIndex {
  declarations: Map<string, RuntimeDeclaration>;
  /** Per runtime file: its external imports. */
  externals: Map<string, ExternalImport[]>;
  /** Runtime files in dependency order (a file comes after the files it imports). */
  fileOrder: string[];
}

/** src/runtime, found from this module's location both in src/ (tests) and in dist/src/ (the built CLI). */
export function defaultRuntimeDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.resolve(here, '../runtime'), path.resolve(here, '../../../src/runtime')];
  for (const dir of candidates) if (fs.existsSync(path.join(dir, 'contracts.ts'))) return dir;
  throw new Error(`Cannot find the runtime sources (looked in ${candidates.join(', ')}).`);
}

function declaredNames(statement: Statement): string[] {
  if (Node.isVariableStatement(statement)) return statement.getDeclarations().map((d) => d.getName());
  if (
    Node.isFunctionDeclaration(statement) ||
    Node.isClassDeclaration(statement) ||
    Node.isInterfaceDeclaration(statement) ||
    Node.isTypeAliasDeclaration(statement) ||
    Node.isEnumDeclaration(statement)
  ) {
    const name = statement.getName();
    return name ? [name] : [];
  }
  return [];
}

/** Identifiers that name something (not a property name, member name or object key). */
function isReference(identifier: Node): boolean {
  const parent = identifier.getParent();
  if (!parent) return false;
  if (Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) return false;
  if (Node.isQualifiedName(parent) && parent.getRight() === identifier) return false;
  if (
    (Node.isPropertyAssignment(parent) ||
      Node.isPropertySignature(parent) ||
      Node.isPropertyDeclaration(parent) ||
      Node.isMethodDeclaration(parent) ||
      Node.isMethodSignature(parent) ||
      Node.isGetAccessorDeclaration(parent) ||
      Node.isSetAccessorDeclaration(parent) ||
      Node.isEnumMember(parent)) &&
    parent.getNameNode() === identifier
  ) {
    return false;
  }
  return true;
}

function withoutExport(text: string): string {
  // Drop the `export` modifier that follows the (optional) JSDoc.
  return text.replace(/^((?:\s*\/\*\*[\s\S]*?\*\/)?\s*)export\s+(?:default\s+)?/, '$1');
}

function readExternals(file: SourceFile, relativeFiles: Set<string>, runtimeDir: string): ExternalImport[] {
  const out: ExternalImport[] = [];
  for (const decl of file.getImportDeclarations()) {
    const module = decl.getModuleSpecifierValue();
    if (module.startsWith('.')) {
      const target = path.resolve(path.dirname(file.getFilePath()), module.replace(/\.js$/, '.ts'));
      relativeFiles.add(path.relative(runtimeDir, target).split(path.sep).join('/'));
      continue;
    }
    const named = new Map<string, string>();
    const typeOnly = new Set<string>();
    for (const spec of decl.getNamedImports()) {
      const local = spec.getAliasNode()?.getText() ?? spec.getName();
      named.set(local, spec.getName());
      if (decl.isTypeOnly() || spec.isTypeOnly()) typeOnly.add(local);
    }
    out.push({
      module,
      namespace: decl.getNamespaceImport()?.getText() ?? null,
      defaultName: decl.getDefaultImport()?.getText() ?? null,
      named,
      typeOnly,
      sideEffect: !decl.getImportClause(),
    });
  }
  return out;
}

export function loadRuntimeIndex(runtimeDir = defaultRuntimeDir()): RuntimeIndex {
  const project = new Project({ useInMemoryFileSystem: false, skipAddingFilesFromTsConfig: true, skipFileDependencyResolution: true });
  const files = project.addSourceFilesAtPaths(path.join(runtimeDir, '**/*.ts').split(path.sep).join('/'));
  const declarations = new Map<string, RuntimeDeclaration>();
  const externals = new Map<string, ExternalImport[]>();
  const fileDeps = new Map<string, Set<string>>();
  const pending: { decl: RuntimeDeclaration; statement: Statement; locals: Set<string> }[] = [];

  for (const file of files) {
    const rel = path.relative(runtimeDir, file.getFilePath()).split(path.sep).join('/');
    const deps = new Set<string>();
    const ext = readExternals(file, deps, runtimeDir);
    externals.set(rel, ext);
    fileDeps.set(rel, deps);
    const locals = new Set<string>();
    for (const e of ext) {
      if (e.namespace) locals.add(e.namespace);
      if (e.defaultName) locals.add(e.defaultName);
      for (const local of e.named.keys()) locals.add(local);
    }
    file.getStatements().forEach((statement, index) => {
      const names = declaredNames(statement);
      if (names.length === 0) return;
      const decl: RuntimeDeclaration = { names, file: rel, index, text: withoutExport(statement.getText(true)), references: new Set() };
      for (const name of names) {
        const clash = declarations.get(name);
        if (clash) throw new Error(`Runtime name '${name}' is declared in both ${clash.file} and ${rel}; top-level runtime names must be unique.`);
        declarations.set(name, decl);
      }
      pending.push({ decl, statement, locals });
    });
  }
  for (const { decl, statement, locals } of pending) {
    for (const id of statement.getDescendantsOfKind(SyntaxKind.Identifier)) {
      const text = id.getText();
      if (decl.names.includes(text) || !isReference(id)) continue;
      if (declarations.has(text) || locals.has(text)) decl.references.add(text);
    }
  }
  return { declarations, externals, fileOrder: dependencyOrder(fileDeps) };
}

function dependencyOrder(deps: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (file: string) => {
    if (state.get(file) === 'done' || state.get(file) === 'visiting') return;
    state.set(file, 'visiting');
    for (const dep of [...(deps.get(file) ?? [])].sort()) if (deps.has(dep)) visit(dep);
    state.set(file, 'done');
    order.push(file);
  };
  for (const file of [...deps.keys()].sort()) visit(file);
  return order;
}

/** The declarations needed by `roots`, transitively, in output order (file dependency order, then source order). */
export function collectDeclarations(index: RuntimeIndex, roots: Iterable<string>): RuntimeDeclaration[] {
  const needed = new Set<RuntimeDeclaration>();
  const queue = [...roots];
  while (queue.length > 0) {
    const name = queue.pop()!;
    const decl = index.declarations.get(name);
    if (!decl) {
      if ([...index.externals.values()].some((list) => list.some((e) => e.namespace === name || e.defaultName === name || e.named.has(name)))) continue;
      throw new Error(`The runtime has no declaration named '${name}'.`);
    }
    if (needed.has(decl)) continue;
    needed.add(decl);
    for (const ref of decl.references) queue.push(ref);
  }
  const fileRank = new Map(index.fileOrder.map((f, i) => [f, i]));
  return [...needed].sort((a, b) => fileRank.get(a.file)! - fileRank.get(b.file)! || a.index - b.index);
}

/** The merged external imports that the given declarations use (and side-effect imports of their files). */
export function neededImports(index: RuntimeIndex, decls: readonly RuntimeDeclaration[]): ExternalImport[] {
  const used = new Set<string>();
  for (const d of decls) for (const r of d.references) used.add(r);
  const files = new Set(decls.map((d) => d.file));
  const merged = new Map<string, ExternalImport>();
  const get = (module: string): ExternalImport => {
    let m = merged.get(module);
    if (!m) {
      m = { module, namespace: null, defaultName: null, named: new Map(), typeOnly: new Set(), sideEffect: false };
      merged.set(module, m);
    }
    return m;
  };
  for (const file of index.fileOrder) {
    if (!files.has(file)) continue;
    for (const e of index.externals.get(file) ?? []) {
      if (e.sideEffect) get(e.module).sideEffect = true;
      if (e.namespace && used.has(e.namespace)) {
        const m = get(e.module);
        if (m.namespace && m.namespace !== e.namespace) throw new Error(`Runtime files import ${e.module} under two names (${m.namespace}, ${e.namespace}).`);
        m.namespace = e.namespace;
      }
      if (e.defaultName && used.has(e.defaultName)) get(e.module).defaultName = e.defaultName;
      for (const [local, imported] of e.named) {
        if (!used.has(local)) continue;
        const m = get(e.module);
        const seen = m.named.has(local);
        m.named.set(local, imported);
        // Type-only when every file imports it as a type.
        if (!e.typeOnly.has(local)) m.typeOnly.delete(local);
        else if (!seen) m.typeOnly.add(local);
      }
    }
  }
  return [...merged.values()].sort((a, b) => a.module.localeCompare(b.module));
}

// ---------------------------------------------------------------------------------------------
// A prebuilt index: `npm run build` writes dist/runtime-index.json so that `mlspec compile` does
// not parse the runtime on every call. It records a digest of the runtime sources and is used
// only while they are unchanged.

interface SerializedIndex {
  digest: string;
  declarations: (Omit<RuntimeDeclaration, 'references'> & { references: string[] })[];
  externals: [string, (Omit<ExternalImport, 'named' | 'typeOnly'> & { named: [string, string][]; typeOnly: string[] })[]][];
  fileOrder: string[];
}

/** SHA-256 over the runtime's .ts files (names and contents), in a stable order. */
export function runtimeDigest(runtimeDir: string): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) hash.update(path.relative(runtimeDir, full)).update('\0').update(fs.readFileSync(full)).update('\0');
    }
  };
  walk(runtimeDir);
  return hash.digest('hex');
}

export function serializeRuntimeIndex(index: RuntimeIndex, digest: string): string {
  const unique = [...new Set(index.declarations.values())];
  const data: SerializedIndex = {
    digest,
    declarations: unique.map((d) => ({ ...d, references: [...d.references].sort() })),
    externals: [...index.externals].map(([file, list]) => [
      file,
      list.map((e) => ({ ...e, named: [...e.named], typeOnly: [...e.typeOnly] })),
    ]),
    fileOrder: index.fileOrder,
  };
  return JSON.stringify(data);
}

export function deserializeRuntimeIndex(text: string): { index: RuntimeIndex; digest: string } {
  const data = JSON.parse(text) as SerializedIndex;
  const declarations = new Map<string, RuntimeDeclaration>();
  for (const d of data.declarations) {
    const decl: RuntimeDeclaration = { ...d, references: new Set(d.references) };
    for (const name of d.names) declarations.set(name, decl);
  }
  const externals = new Map(
    data.externals.map(([file, list]) => [file, list.map((e) => ({ ...e, named: new Map(e.named), typeOnly: new Set(e.typeOnly) }))]),
  );
  return { index: { declarations, externals, fileOrder: data.fileOrder }, digest: data.digest };
}

/** The prebuilt index next to the built CLI (dist/runtime-index.json), if it matches the runtime sources. */
export function loadPrebuiltRuntimeIndex(runtimeDir = defaultRuntimeDir()): RuntimeIndex | null {
  const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../runtime-index.json');
  if (!fs.existsSync(file)) return null;
  const { index, digest } = deserializeRuntimeIndex(fs.readFileSync(file, 'utf8'));
  return digest === runtimeDigest(runtimeDir) ? index : null;
}
