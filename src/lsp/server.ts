/**
 * `mlspec lsp`: a language server over the Language Server Protocol (stdio), built on
 * vscode-languageserver and running the compiler's own front end in process. Each document
 * version is analysed once (analysis.ts) and every request reads that analysis:
 *
 *   diagnostics      the same codes, messages and spans as `mlspec check`, published on open and
 *                    (debounced) on change, with related information and quick fixes
 *   completion       completion.ts       hover          hover.ts
 *   definition, references, rename of model nodes   model-names.ts
 *   outline, folding outline.ts          formatting     `mlspec fmt` (src/syntax/format.ts)
 *
 * No request may fail because of the text it is about: every handler answers (null or an empty
 * list when it has nothing to say) whatever the document holds.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  DiagnosticSeverity,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type Diagnostic as LspDiagnostic,
  type InitializeResult,
  type Range,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.js';
import { formatSpec } from '../syntax/format.js';
import { analyzeDocument, type Analysis } from './analysis.js';
import { completionsAt } from './completion.js';
import { hoverAt } from './hover.js';
import { nameOccurrences, occurrenceAt } from './model-names.js';
import { documentSymbols, foldingRanges } from './outline.js';

export interface ServerOptions {
  /** Milliseconds between the last change and its diagnostics (default 20: keystrokes in a burst are analysed once, and a pause shows the result within 50 ms). */
  debounceMs?: number;
}

/** The file a document stands for: its path for file: URIs, else the URI itself. */
export function fileOfUri(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

const SEVERITY: Record<Diagnostic['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** A Span as an LSP range of this document (offsets are UTF-16, as LSP's characters are). */
function rangeIn(doc: TextDocument, span: Span): Range {
  return { start: doc.positionAt(span.start.offset), end: doc.positionAt(span.end.offset) };
}

export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  const notes = d.notes && d.notes.length > 0 ? `\n${d.notes.join('\n')}` : '';
  return {
    range: rangeIn(doc, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'mlspec',
    message: `${d.message}${notes}`,
    ...(d.related && d.related.length > 0
      ? { relatedInformation: d.related.map((r) => ({ location: { uri: doc.uri, range: rangeIn(doc, r.span) }, message: r.message })) }
      : {}),
  };
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

export function startLanguageServer(connection: Connection, options: ServerOptions = {}): void {
  const documents = new TextDocuments(TextDocument);
  const cache = new Map<string, { version: number; analysis: Analysis }>();
  const timers = new Map<string, NodeJS.Timeout>();
  const debounceMs = options.debounceMs ?? 20;

  const analysisOf = (doc: TextDocument): Analysis => {
    const cached = cache.get(doc.uri);
    if (cached && cached.version === doc.version) return cached.analysis;
    const analysis = analyzeDocument(doc.getText(), fileOfUri(doc.uri));
    cache.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  };

  /** Runs a handler; anything it throws is logged and answered with `fallback`, never as an error response. */
  const safely = <T>(what: string, fallback: T, work: () => T): T => {
    try {
      return work();
    } catch (error) {
      connection.console.error(`mlspec lsp: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return fallback;
    }
  };

  const publish = (doc: TextDocument) => {
    const diagnostics = safely('diagnostics', [] as LspDiagnostic[], () =>
      analysisOf(doc).diagnostics.filter((d) => d.file === fileOfUri(doc.uri)).map((d) => toLspDiagnostic(doc, d)),
    );
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics });
  };

  const schedule = (doc: TextDocument) => {
    clearTimeout(timers.get(doc.uri));
    timers.set(
      doc.uri,
      setTimeout(() => {
        timers.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (current) publish(current);
      }, debounceMs),
    );
  };

  connection.onInitialize(
    (): InitializeResult => ({
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['(', ',', ':', ' ', '[', '-', '"'] },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
      },
      serverInfo: { name: 'mlspec' },
    }),
  );

  documents.onDidOpen((event) => publish(event.document));
  documents.onDidChangeContent((event) => schedule(event.document));
  documents.onDidClose((event) => {
    clearTimeout(timers.get(event.document.uri));
    cache.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  const withDocument = <T>(uri: string, fallback: T, what: string, work: (doc: TextDocument, analysis: Analysis) => T): T => {
    const doc = documents.get(uri);
    if (!doc) return fallback;
    return safely(what, fallback, () => work(doc, analysisOf(doc)));
  };

  connection.onCompletion((params) =>
    withDocument(params.textDocument.uri, [], 'completion', (doc, analysis) => completionsAt(analysis, doc.offsetAt(params.position))),
  );

  connection.onHover((params) =>
    withDocument(params.textDocument.uri, null, 'hover', (doc, analysis) => {
      const hover = hoverAt(analysis, doc.offsetAt(params.position));
      if (!hover) return null;
      return { contents: { kind: 'markdown', value: hover.markdown }, range: { start: doc.positionAt(hover.start), end: doc.positionAt(hover.end) } };
    }),
  );

  connection.onCodeAction((params) =>
    withDocument(params.textDocument.uri, [] as CodeAction[], 'code actions', (doc, analysis) => {
      const actions: CodeAction[] = [];
      for (const d of analysis.diagnostics) {
        if (!d.fixes || d.file !== fileOfUri(doc.uri)) continue;
        const lsp = toLspDiagnostic(doc, d);
        if (!overlaps(lsp.range, params.range)) continue;
        for (const fix of d.fixes) {
          const edits: LspTextEdit[] = fix.edits.map((e) => ({ range: rangeIn(doc, e.span), newText: e.newText }));
          actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [lsp], isPreferred: d.fixes.length === 1, edit: { changes: { [doc.uri]: edits } } });
        }
      }
      return actions;
    }),
  );

  const nodeAt = (doc: TextDocument, analysis: Analysis, offset: number) => {
    const occurrences = nameOccurrences(analysis.ast);
    const here = occurrenceAt(occurrences, offset);
    return here ? { here, all: occurrences.filter((o) => o.name === here.name) } : null;
  };

  connection.onDefinition((params) =>
    withDocument(params.textDocument.uri, null, 'definition', (doc, analysis) => {
      const found = nodeAt(doc, analysis, doc.offsetAt(params.position));
      const definition = found?.all.find((o) => o.definition);
      return definition ? { uri: doc.uri, range: rangeIn(doc, definition.span) } : null;
    }),
  );

  connection.onReferences((params) =>
    withDocument(params.textDocument.uri, [], 'references', (doc, analysis) => {
      const found = nodeAt(doc, analysis, doc.offsetAt(params.position));
      if (!found) return [];
      return found.all.filter((o) => params.context.includeDeclaration || !o.definition).map((o) => ({ uri: doc.uri, range: rangeIn(doc, o.span) }));
    }),
  );

  connection.onPrepareRename((params) =>
    withDocument(params.textDocument.uri, null, 'prepare rename', (doc, analysis) => {
      const found = nodeAt(doc, analysis, doc.offsetAt(params.position));
      return found && found.all.some((o) => o.definition) ? rangeIn(doc, found.here.span) : null;
    }),
  );

  connection.onRenameRequest((params) =>
    withDocument(params.textDocument.uri, null, 'rename', (doc, analysis) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(params.newName)) return null;
      const found = nodeAt(doc, analysis, doc.offsetAt(params.position));
      if (!found || !found.all.some((o) => o.definition)) return null;
      return { changes: { [doc.uri]: found.all.map((o) => ({ range: rangeIn(doc, o.span), newText: params.newName })) } };
    }),
  );

  connection.onDocumentSymbol((params) =>
    withDocument(params.textDocument.uri, [], 'document symbols', (doc, analysis) => documentSymbols(analysis.ast, (span) => rangeIn(doc, span))),
  );

  connection.onFoldingRanges((params) => withDocument(params.textDocument.uri, [], 'folding ranges', (_doc, analysis) => foldingRanges(analysis.ast)));

  connection.onDocumentFormatting((params) =>
    withDocument(params.textDocument.uri, [] as LspTextEdit[], 'formatting', (doc) => {
      const text = doc.getText();
      const { output, diagnostics } = formatSpec(text, path.basename(fileOfUri(doc.uri)));
      // A file with syntax errors is never rewritten (as `mlspec fmt`); its errors are already shown.
      if (output === null || output === undefined || diagnostics.some((d) => d.severity === 'error') || output === text) return [];
      return [{ range: { start: doc.positionAt(0), end: doc.positionAt(text.length) }, newText: output }];
    }),
  );

  documents.listen(connection);
  connection.listen();
}
