/**
 * Bundles the extension (extension.js, server-command.js and vscode-languageclient) into one
 * file, out/extension.js, so the .vsix ships no node_modules. esbuild and vscode-languageclient
 * are dev dependencies of mlspec itself (resolved from the repository's node_modules).
 *
 *   node grammar/vscode/build.mjs        (then: cd grammar/vscode && npx vsce package --allow-missing-repository)
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));

export async function bundleExtension(outfile = path.join(here, 'out', 'extension.js')) {
  await build({
    entryPoints: [path.join(here, 'extension.js')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    external: ['vscode'],
    outfile,
    minify: true,
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await bundleExtension();
