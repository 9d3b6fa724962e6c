#!/usr/bin/env node
/**
 * Latency of the language server's diagnostics: the time from a change of a document to the
 * diagnostics published for it, with the server warm (after 20 changes), for every example.
 * Each change alternates between the example and the example with a typo, so the server never
 * answers from its cache. Prints the median and 95th percentile per example (goal: under 50 ms).
 *
 *   npm run build && node bench/lsp-latency.mjs
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node.js';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const child = spawn(process.execPath, [path.join(root, 'bin/mlspec.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
const waiting = new Map();
connection.onNotification('textDocument/publishDiagnostics', (params) => {
  const w = waiting.get(params.uri);
  if (w && params.version === w.version) {
    waiting.delete(params.uri);
    w.resolve();
  }
});
connection.listen();
await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
await connection.sendNotification('initialized', {});

const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
console.log('| example | median ms | p95 ms |\n| --- | ---: | ---: |');
for (const file of fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.mlspec'))) {
  const full = path.join(root, 'examples', file);
  const uri = pathToFileURL(full).href;
  const text = fs.readFileSync(full, 'utf8');
  const typo = text.replace('optimizer: ', 'optimiser: ');
  let version = 1;
  const published = (v) => new Promise((resolve) => waiting.set(uri, { version: v, resolve }));
  let first = published(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'mlspec', version, text } });
  await first;
  const times = [];
  for (let i = 0; i < 60; i++) {
    version += 1;
    const done = published(version);
    const started = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text: i % 2 === 0 ? typo : text }] });
    await done;
    if (i >= 20) times.push(performance.now() - started);
  }
  console.log(`| ${file} | ${quantile(times, 0.5).toFixed(1)} | ${quantile(times, 0.95).toFixed(1)} |`);
}
await connection.sendRequest('shutdown');
await connection.sendNotification('exit');
