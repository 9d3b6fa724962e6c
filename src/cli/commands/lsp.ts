/**
 * `mlspec lsp`: the language server on stdin/stdout (src/lsp/server.ts), for editors. `--stdio`
 * is accepted because editors' clients pass it; stdio is the only transport.
 */
import type { Command } from 'commander';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node.js';
import type { CliIO } from '../cli-io.js';
import { startLanguageServer } from '../../lsp/server.js';

export function registerLspCommand(program: Command, _io: CliIO, setExit: (code: number) => void): void {
  program
    .command('lsp')
    .description('run the language server (Language Server Protocol on stdin/stdout) for editors')
    .option('--stdio', 'talk over stdin/stdout (the default and only transport)')
    .addHelpText('after', '\nEditors start it; see grammar/vscode/README.md for VS Code.\n\nExample:\n  $ mlspec lsp --stdio')
    .action(() => {
      // The connection keeps the process alive while stdin is open; the client's `exit` ends it.
      startLanguageServer(createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)));
      setExit(0);
    });
}
