'use strict';
/**
 * The mlspec VS Code extension: highlighting comes from the TextMate grammar (package.json);
 * this file runs `mlspec check --format json FILE` when a .mlspec document is opened or saved
 * and shows what it reports as diagnostics.
 */

const vscode = require('vscode');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { diagnosticsByFile } = require('./diagnostics.js');

const severity = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

function activate(context) {
  const collection = vscode.languages.createDiagnosticCollection('mlspec');
  let warnedAboutCommand = false;

  const check = (document) => {
    if (document.languageId !== 'mlspec' || document.uri.scheme !== 'file') return;
    const command = vscode.workspace.getConfiguration('mlspec').get('path') || 'mlspec';
    const file = document.uri.fsPath;
    const cwd = path.dirname(file);
    execFile(command, ['check', '--format', 'json', file], { cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      // `check` exits non-zero when it finds errors; only a missing or broken command is a failure.
      if (error && error.code === 'ENOENT') {
        if (!warnedAboutCommand) {
          warnedAboutCommand = true;
          vscode.window.showWarningMessage(`mlspec: cannot run '${command}'. Install mlspec or set "mlspec.path".`);
        }
        return;
      }
      let byFile;
      try {
        byFile = diagnosticsByFile(stdout, cwd);
      } catch (parseError) {
        const detail = (stderr || String(parseError)).trim().split('\n')[0];
        vscode.window.showWarningMessage(`mlspec check failed: ${detail}`);
        return;
      }
      const items = byFile.get(path.resolve(file)) ?? [];
      collection.set(document.uri, items.map((item) => toVscode(item, document.uri)));
    });
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidSaveTextDocument(check),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidCloseTextDocument((document) => collection.delete(document.uri)),
  );
  vscode.workspace.textDocuments.forEach(check);
}

function toVscode(item, uri) {
  const toRange = (r) => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  const diagnostic = new vscode.Diagnostic(toRange(item.range), item.message, severity[item.severity] ?? vscode.DiagnosticSeverity.Error);
  diagnostic.source = 'mlspec';
  if (item.code) diagnostic.code = item.code;
  if (item.related) {
    diagnostic.relatedInformation = item.related.map((place) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(place.range)), place.message));
  }
  return diagnostic;
}

function deactivate() {}

module.exports = { activate, deactivate };
