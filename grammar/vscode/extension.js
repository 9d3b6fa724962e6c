'use strict';
/**
 * The mlspec VS Code extension: highlighting comes from the TextMate grammar (package.json);
 * everything else from the language server, `mlspec lsp --stdio` (src/lsp/ of mlspec), through
 * vscode-languageclient: diagnostics while typing, completion, hover, quick fixes, go to
 * definition, references, rename, outline, folding and formatting (format on save is on by
 * default for mlspec files; see package.json's configurationDefaults).
 */
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverCommand } = require('./server-command.js');

let client = null;

async function start() {
  const setting = vscode.workspace.getConfiguration('mlspec').get('path');
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
  const { command, args } = serverCommand(setting, folders);
  client = new LanguageClient(
    'mlspec',
    'mlspec',
    { command, args, transport: TransportKind.stdio, options: { shell: process.platform === 'win32' } },
    { documentSelector: [{ language: 'mlspec' }] },
  );
  try {
    await client.start();
  } catch (error) {
    client = null;
    vscode.window.showWarningMessage(
      `mlspec: cannot start the language server with '${[command, ...args].join(' ')}' (${error instanceof Error ? error.message : String(error)}). ` +
        'Install mlspec in the workspace (npm install mlspec-compiler) or set "mlspec.path".',
    );
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration('mlspec.path')) return;
      if (client) await client.stop();
      await start();
    }),
  );
  await start();
}

async function deactivate() {
  if (client) await client.stop();
}

module.exports = { activate, deactivate };
