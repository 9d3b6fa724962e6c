/**
 * A minimal LSP client for tests: spawns `mlspec lsp --stdio` (needs `npm run build`) and talks
 * JSON-RPC to it over its stdin/stdout, as an editor does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node.js';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';

const BIN = path.resolve(import.meta.dirname, '../../bin/mlspec.js');

export interface LspClient {
  connection: MessageConnection;
  process: ChildProcess;
  /** Opens a document and resolves with its first published diagnostics. */
  open(file: string, text: string): Promise<Diagnostic[]>;
  /** Replaces a document's text and resolves with the diagnostics published for that version. */
  change(file: string, text: string): Promise<Diagnostic[]>;
  request<T>(method: string, params: unknown): Promise<T>;
  uri(file: string): string;
  stop(): Promise<void>;
  /** Anything the server wrote on stderr or logged as an error. */
  errors: string[];
}

export async function startLspClient(rootDir: string): Promise<LspClient> {
  const child = spawn(process.execPath, [BIN, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const errors: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const waiting = new Map<string, { version: number; resolve: (d: Diagnostic[]) => void }>();
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    const wait = waiting.get(params.uri);
    if (wait && (params.version === undefined || params.version === wait.version)) {
      waiting.delete(params.uri);
      wait.resolve(params.diagnostics);
    }
  });
  connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
    if (params.type === 1) errors.push(params.message);
  });
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(rootDir).href, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const versions = new Map<string, number>();
  const uri = (file: string) => pathToFileURL(path.resolve(rootDir, file)).href;
  const diagnosticsFor = (u: string, version: number) =>
    new Promise<Diagnostic[]>((resolve) => waiting.set(u, { version, resolve }));
  return {
    connection,
    process: child,
    errors,
    uri,
    async open(file, text) {
      const u = uri(file);
      versions.set(u, 1);
      const published = diagnosticsFor(u, 1);
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: u, languageId: 'mlspec', version: 1, text } });
      return published;
    },
    async change(file, text) {
      const u = uri(file);
      const version = (versions.get(u) ?? 1) + 1;
      versions.set(u, version);
      const published = diagnosticsFor(u, version);
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri: u, version }, contentChanges: [{ text }] });
      return published;
    },
    request: <T>(method: string, params: unknown) => connection.sendRequest(method, params) as Promise<T>,
    async stop() {
      await connection.sendRequest('shutdown');
      await connection.sendNotification('exit');
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.once('exit', () => resolve());
      });
      connection.dispose();
    },
  };
}
