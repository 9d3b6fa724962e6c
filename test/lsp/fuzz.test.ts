/**
 * The language server never fails on any text: thousands of damaged specs (the fuzzer's
 * mutations of the examples, random bytes and unicode), each followed by random requests at
 * random positions (inside and past the end of the text), over an in-memory JSON-RPC connection
 * to the real server. Every request must answer without an error response, and the server must
 * log no failed handler (a handler that throws is answered with nothing and logged; any such
 * log fails the test).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createConnection, createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver/node.js';
import { startLanguageServer } from '../../src/lsp/server.js';
import { mutatedText, randomBytesText, randomUnicodeText } from '../fuzz/mutations.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const EXAMPLES = path.join(ROOT, 'examples');
const seeds = fs.readdirSync(EXAMPLES).filter((f) => f.endsWith('.mlspec')).map((f) => fs.readFileSync(path.join(EXAMPLES, f), 'utf8'));
const URI = `file://${EXAMPLES}/fuzzed.mlspec`;
const RUNS = Number(process.env.LSP_FUZZ_RUNS ?? 2000);

let client: MessageConnection;
const logged: string[] = [];

beforeAll(async () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startLanguageServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), { debounceMs: 0 });
  client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  client.onNotification('window/logMessage', (params: { type: number; message: string }) => {
    if (params.type <= 2) logged.push(params.message);
  });
  client.listen();
  await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: {} });
  await client.sendNotification('initialized', {});
  await client.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'mlspec', version: 1, text: seeds[0] } });
});
afterAll(() => client.dispose());

const METHODS = [
  'textDocument/completion',
  'textDocument/hover',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/formatting',
  'textDocument/codeAction',
] as const;

const request = fc.record({
  method: fc.constantFrom(...METHODS),
  line: fc.nat({ max: 60 }),
  character: fc.nat({ max: 120 }),
  endLine: fc.nat({ max: 60 }),
  newName: fc.constantFrom('x', 'hidden', '', '1bad', 'a b', '__proto__'),
});

interface RandomRequest {
  method: (typeof METHODS)[number];
  line: number;
  character: number;
  endLine: number;
  newName: string;
}

function paramsOf(r: RandomRequest) {
  const textDocument = { uri: URI };
  const position = { line: r.line, character: r.character };
  switch (r.method) {
    case 'textDocument/references':
      return { textDocument, position, context: { includeDeclaration: r.line % 2 === 0 } };
    case 'textDocument/rename':
      return { textDocument, position, newName: r.newName };
    case 'textDocument/documentSymbol':
    case 'textDocument/foldingRange':
      return { textDocument };
    case 'textDocument/formatting':
      return { textDocument, options: { tabSize: 2, insertSpaces: true } };
    case 'textDocument/codeAction':
      return { textDocument, range: { start: { line: Math.min(r.line, r.endLine), character: 0 }, end: { line: Math.max(r.line, r.endLine), character: r.character } }, context: { diagnostics: [] } };
    default:
      return { textDocument, position };
  }
}

const text = fc.oneof({ arbitrary: mutatedText(fc.constantFrom(...seeds)), weight: 6 }, randomBytesText, randomUnicodeText);

it(`answers every request on ${RUNS} damaged documents without an error`, async () => {
  let version = 1;
  let answered = 0;
  await fc.assert(
    fc.asyncProperty(text, fc.array(request, { minLength: 1, maxLength: 6 }), async (document, requests) => {
      version += 1;
      await client.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version }, contentChanges: [{ text: document }] });
      for (const r of requests) {
        await client.sendRequest(r.method, paramsOf(r));
        answered += 1;
      }
      expect(logged).toEqual([]);
    }),
    { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261203) },
  );
  expect(answered).toBeGreaterThanOrEqual(RUNS);
}, 300_000);
