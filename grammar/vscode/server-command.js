'use strict';
/**
 * Which command starts the mlspec language server. The `mlspec.path` setting may hold a command
 * with arguments (`node /path/to/bin/mlspec.js`, `npx mlspec`); when it is empty, the mlspec of
 * the workspace's node_modules is preferred to the one on PATH, so a clone or a project that
 * installed mlspec uses its own version. `lsp --stdio` is appended.
 */
const fs = require('node:fs');
const path = require('node:path');

/** Splits a command line on spaces, keeping "double" or 'single' quoted parts together. */
function splitCommandLine(text) {
  const parts = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let match;
  while ((match = pattern.exec(text)) !== null) parts.push(match[1] ?? match[2] ?? match[3]);
  return parts;
}

/**
 * The server command for a setting value and the workspace folders' paths:
 * `{ command, args }` with `lsp --stdio` at the end of args.
 */
function serverCommand(setting, workspaceFolders, exists = fs.existsSync, platform = process.platform) {
  const written = typeof setting === 'string' ? splitCommandLine(setting.trim()) : [];
  if (written.length > 0) return { command: written[0], args: [...written.slice(1), 'lsp', '--stdio'] };
  const bin = platform === 'win32' ? 'mlspec.cmd' : 'mlspec';
  for (const folder of workspaceFolders) {
    const local = path.join(folder, 'node_modules', '.bin', bin);
    if (exists(local)) return { command: local, args: ['lsp', '--stdio'] };
  }
  return { command: 'mlspec', args: ['lsp', '--stdio'] };
}

module.exports = { serverCommand, splitCommandLine };
